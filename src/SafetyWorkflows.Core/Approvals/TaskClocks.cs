using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Approvals;

public enum TaskClockKind
{
    /// <summary>催办: the assignees are reminded (before the deadline, or at it).</summary>
    Reminder,

    /// <summary>督办: a superior is told the step is overdue (one rung of the escalation ladder).</summary>
    Escalation,

    /// <summary>挂牌督办进展报告: the assignees are asked for a progress report, every period while the step is open.</summary>
    ProgressReport,
}

/// <summary>One reminder or escalation of a task step: when, the rule that made it, and (for escalations) who is told.</summary>
public sealed record TaskClock(TaskClockKind Kind, DateTimeOffset At, string Rule, int Level, IReadOnlyList<string> Notify)
{
    public JsonObject ToPayload() => new()
    {
        ["ResumeAt"] = At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        [nameof(Kind)] = Kind.ToString(),
        [nameof(Rule)] = Rule,
        [nameof(Level)] = Level,
        [nameof(Notify)] = new JsonArray(Notify.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
    };

    public static TaskClock FromPayload(JsonObject payload) => new(
        Enum.Parse<TaskClockKind>(payload[nameof(Kind)]!.GetValue<string>()),
        DateTimeOffset.Parse(payload["ResumeAt"]!.GetValue<string>(), CultureInfo.InvariantCulture),
        payload[nameof(Rule)]?.GetValue<string>() ?? "",
        payload[nameof(Level)]?.GetValue<int>() ?? 0,
        payload[nameof(Notify)]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? []);

    /// <summary>
    /// How the rule reads to an official: 截止前 1 个工作日催办, 到期当日催办, 逾期 3 个工作日报党委书记、镇长督办,
    /// 挂牌督办期间每 5 个工作日报送一次进展. <paramref name="names"/> names the escalation's roles or people.
    /// </summary>
    public string Describe(bool english = false, Func<IReadOnlyList<string>, string>? names = null)
    {
        var span = DeadlineRule.Words(Rule, english);
        var who = names?.Invoke(Notify) ?? string.Join(english ? ", " : "、", Notify);
        return (Kind, english) switch
        {
            (TaskClockKind.Reminder, false) when Rule == "due" => "到期当日催办",
            (TaskClockKind.Reminder, true) when Rule == "due" => "Reminder on the due date",
            (TaskClockKind.Reminder, false) => $"截止前 {span}催办",
            (TaskClockKind.Reminder, true) => $"Reminder {span} before the deadline",
            (TaskClockKind.ProgressReport, false) => $"挂牌督办期间每 {span}报送一次进展",
            (TaskClockKind.ProgressReport, true) => $"Progress report every {span} while listed",
            (_, false) => $"逾期 {span}报{who}督办",
            (_, true) => $"Escalated to {who} {span} after the deadline",
        };
    }
}

/// <summary>
/// The clocks of a task step (<c>RequestApproval</c>, <c>RequestSignature</c>, <c>RequestSubmission</c>), from its inputs:
/// <list type="bullet">
/// <item><c>reminders</c>: offsets before the deadline (<c>1WD</c>, <c>P2D</c>, <c>PT4H</c>), each a 催办 to the assignees;</item>
/// <item><c>remindAtDue</c> (default true): a 催办 at the deadline itself, when the step does not end there;</item>
/// <item><c>escalations</c>: the 督办 ladder after the deadline, one rung per entry <c>offset: assignees</c>
/// (<c>1WD: leader-in-charge</c>, <c>3WD: party-secretary, mayor</c>), the assignees as in <c>assignees</c>;</item>
/// <item><c>progressReports</c>: for a 挂牌督办 listing, a period (<c>P7D</c>, <c>5WD</c>) at which the assignees are asked
/// for a progress report while the step is open; empty for none;</item>
/// <item><c>timeout</c>: when the step ends through <c>TimedOut</c>, counted from the deadline (<c>P0D</c> at it, <c>5WD</c>).
/// Left empty (or <c>never</c>) the step never ends by time: a deadline brings reminders and the ladder, never an end.
/// A step whose <c>timeout</c> is set must have its <c>TimedOut</c> port wired (checked when the definition loads).</item>
/// </list>
/// Each clock is a timer bookmark of the step, so all of them go when the step completes.
/// </summary>
internal sealed partial class TaskClocks
{
    private readonly IReadOnlyList<DeadlineRule> _reminders;
    private readonly bool _remindAtDue;
    private readonly IReadOnlyList<(DeadlineRule After, IReadOnlyList<string> Notify)> _escalations;
    private readonly string? _timeout;
    private readonly DeadlineRule? _progressReports;

    private TaskClocks(
        IReadOnlyList<DeadlineRule> reminders, bool remindAtDue, IReadOnlyList<(DeadlineRule, IReadOnlyList<string>)> escalations, string? timeout, DeadlineRule? progressReports)
    {
        _reminders = reminders;
        _remindAtDue = remindAtDue;
        _escalations = escalations;
        _timeout = timeout;
        _progressReports = progressReports;
    }

    public static async Task<TaskClocks> ReadAsync(ActivityExecutionContext context)
    {
        var reminders = Values.Items(await context.EvaluateInputAsync("reminders", "List<String>")).Select(Values.AsText).OfType<string>()
            .Where(t => !string.IsNullOrWhiteSpace(t)).Select(ParseRule).ToList();
        var remindAtDue = Values.ToBoolean(await context.EvaluateInputAsync("remindAtDue", "Boolean", true));
        var escalations = Values.Items(await context.EvaluateInputAsync("escalations", "List<String>")).Select(Values.AsText).OfType<string>()
            .Where(t => !string.IsNullOrWhiteSpace(t)).Select(ParseEscalation).ToList();
        var timeout = await context.EvaluateStringAsync("timeout");
        var progress = await context.EvaluateStringAsync("progressReports");
        return new TaskClocks(
            reminders, remindAtDue, escalations, string.IsNullOrWhiteSpace(timeout) ? null : timeout.Trim(),
            string.IsNullOrWhiteSpace(progress) ? null : ParseRule(progress.Trim()));
    }

    /// <summary>Checks literal clock inputs when a definition is loaded; returns the problems.</summary>
    public static IEnumerable<string> Validate(ActivityNode node)
    {
        foreach (var text in LiteralItems(node, "reminders"))
        {
            if (!DeadlineRule.TryParse(text, out _))
            {
                yield return $"reminder '{text}' is not an offset (1WD, P2D, PT4H)";
            }
        }

        foreach (var text in LiteralItems(node, "escalations"))
        {
            var match = EscalationPattern().Match(text);
            if (!match.Success || !DeadlineRule.TryParse(match.Groups[1].Value, out _))
            {
                yield return $"escalation '{text}' must read 'offset: assignees' (e.g. '1WD: leader-in-charge')";
            }
        }
    }

    /// <summary>
    /// A step that ends by time must say where it goes then: <c>timeout</c> set (a literal other than "never", or any
    /// expression) with no connection from its <c>TimedOut</c> port is refused, naming the step.
    /// </summary>
    public static IEnumerable<string> ValidateTimeout(ActivityNode node, FlowGraph flow)
    {
        var expression = JsonRead.AsObject(node.Input("timeout"))?.GetObject("expression");
        var text = JsonRead.AsString(expression?.Get("value"));
        var literal = expression?.GetString("type") is "Literal" or "Object" or null;
        if ((literal && IsNever(text)) || string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        if (!flow.Outbound[node.Id].Any(c => c.SourcePort == RequestApproval.TimedOut))
        {
            var step = StepName(node);
            yield return $"步骤“{step}”（{node.Id}）设置了超时结束 timeout “{text}”，但“超期”(TimedOut) 端口未连接：请连接该端口或清空 timeout"
                + $" (step '{node.Id}' has timeout '{text}' but its TimedOut port is not connected)";
        }
    }

    private static string StepName(ActivityNode node)
    {
        var expression = JsonRead.AsObject(node.Input("step"))?.GetObject("expression");
        return expression?.GetString("type") is "Literal" && JsonRead.AsString(expression.Get("value")) is { Length: > 0 } step
            ? step
            : node.Name ?? node.Id;
    }

    /// <summary>The reminders and escalations still ahead of <paramref name="now"/>, in time order.</summary>
    public IReadOnlyList<TaskClock> Plan(DateTimeOffset due, DateTimeOffset now, WorkingCalendar calendar)
    {
        var clocks = new List<TaskClock>();
        foreach (var rule in _reminders)
        {
            clocks.Add(new TaskClock(TaskClockKind.Reminder, rule.From(due, calendar, backwards: true).At, rule.Text, 0, []));
        }

        if (_remindAtDue && TimeoutAt(due, calendar) != due)
        {
            clocks.Add(new TaskClock(TaskClockKind.Reminder, due, "due", 0, []));
        }

        var rungs = new List<TaskClock>();
        for (var i = 0; i < _escalations.Count; i++)
        {
            var (after, notify) = _escalations[i];
            rungs.Add(new TaskClock(TaskClockKind.Escalation, after.From(due, calendar).At, after.Text, i + 1, notify));
        }

        // A step that starts already overdue (an order re-opened after a failed re-inspection, issued past its deadline)
        // is escalated at once to the highest rung it has reached, then climbs the rest on time.
        clocks.AddRange(rungs.Where(r => r.At > now));
        if (rungs.Where(r => r.At <= now).MaxBy(r => r.Level) is { } reached)
        {
            clocks.Add(reached with { At = now.AddSeconds(1) });
        }

        if (_progressReports is { } period)
        {
            clocks.Add(NextProgressReport(period, now, now, calendar));
        }

        return clocks.Where(c => c.At > now).OrderBy(c => c.At).ThenBy(c => c.Level).ToList();
    }

    /// <summary>A step may be planned before its deadline is known; progress reports need only the period.</summary>
    public bool HasProgressReports => _progressReports is not null;

    private static TaskClock NextProgressReport(DeadlineRule period, DateTimeOffset from, DateTimeOffset now, WorkingCalendar calendar)
    {
        var at = period.From(from, calendar).At;
        while (at <= now)
        {
            at = period.From(at, calendar).At;
        }

        return new TaskClock(TaskClockKind.ProgressReport, at, period.Text, 0, []);
    }

    /// <summary>When the step ends through <c>TimedOut</c>, or null when it never times out.</summary>
    public DateTimeOffset? TimeoutAt(DateTimeOffset due, WorkingCalendar calendar) =>
        IsNever(_timeout) ? null : ParseRule(_timeout!).From(due, calendar).At;

    /// <summary>An empty <c>timeout</c> and the words for "never" all mean the step does not end by time.</summary>
    public static bool IsNever(string? timeout) => string.IsNullOrWhiteSpace(timeout) || timeout.Trim() is "never" or "none" or "不超时";

    /// <summary>Sends the 催办 or 督办 of <paramref name="clock"/> through the outbox, if the step still has open tasks.</summary>
    public static async Task FireAsync(ActivityExecutionContext context, TaskClock clock)
    {
        var cancellationToken = context.Execution.CancellationToken;
        var open = (await context.GetRequiredService<IApprovalTaskRepository>().ListForStepAsync(context.Execution.State.Id, context.Id, cancellationToken))
            .Where(t => t.IsOpen).ToList();
        if (open.Count == 0)
        {
            return;
        }

        var input = context.Execution.State.Input;
        var title = Values.AsText(Values.FromJson(input["title"])) ?? open[0].Step;
        var step = open[0].Step;
        var due = open[0].DueAt ?? clock.At;
        var dueText = TimeZoneInfo.ConvertTime(due, WorkingCalendar.China).ToString("M月d日 HH:mm", CultureInfo.InvariantCulture);
        var outbox = context.GetRequiredService<INotificationOutbox>();
        if (clock.Kind == TaskClockKind.Reminder)
        {
            foreach (var task in open)
            {
                var when = clock.At < due ? $"将于 {dueText} 到期" : $"已于 {dueText} 到期";
                outbox.Add(new Notification(
                    task.Assignee, NotificationKind.Reminder, $"【催办】{step}：{title}",
                    $"您的待办《{title}》（{step}）{when}，请尽快办理：/tasks/{task.Id}", task.DocumentId, task.Id, context.Now));
            }

            return;
        }

        if (clock.Kind == TaskClockKind.ProgressReport)
        {
            foreach (var task in open)
            {
                outbox.Add(new Notification(
                    task.Assignee, NotificationKind.Reminder, $"【挂牌督办】请报送整改进展：{title}",
                    $"《{title}》已挂牌督办，请于今日报送整改进展（每 {DeadlineRule.Words(clock.Rule, english: false)}一次，直至销号）：/tasks/{task.Id}", task.DocumentId, task.Id, context.Now));
            }

            // The next report: re-armed as a new timer bookmark of the step, so it too goes when the step completes.
            if (DeadlineRule.TryParse(clock.Rule, out var period))
            {
                context.CreateBookmark(RequestApproval.ClockBookmarkName,
                    NextProgressReport(period, clock.At, context.Now, context.GetRequiredService<WorkingCalendar>()).ToPayload());
            }

            return;
        }

        var recipients = await context.GetRequiredService<IAssigneeResolver>().ResolveAsync(clock.Notify, cancellationToken);
        var directory = context.GetRequiredService<IOrganisationDirectory>();
        var assigneeNames = new List<string>();
        foreach (var login in open.Select(t => t.Assignee).Distinct())
        {
            assigneeNames.Add(await directory.DisplayNameAsync(login, cancellationToken));
        }

        var assignees = string.Join("、", assigneeNames);
        foreach (var recipient in recipients)
        {
            outbox.Add(new Notification(
                recipient, NotificationKind.Escalation, $"【督办】{step}：{title}（逾期 {DeadlineRule.Words(clock.Rule, english: false)}）",
                $"《{title}》的“{step}”已于 {dueText} 到期仍未办结（办理人：{assignees}），请督促办理：/documents/{open[0].DocumentId}",
                open[0].DocumentId, open[0].Id, context.Now));
        }
    }

    private static DeadlineRule ParseRule(string text) =>
        DeadlineRule.TryParse(text, out var rule) ? rule : throw new InvalidOperationException(
            $"'{text}' is not an offset: use N working days (1WD), an ISO-8601 duration (P2D, PT4H) or N calendar days (3天)");

    private static (DeadlineRule, IReadOnlyList<string>) ParseEscalation(string text)
    {
        var match = EscalationPattern().Match(text);
        if (!match.Success)
        {
            throw new InvalidOperationException($"escalation '{text}' must read 'offset: assignees' (e.g. '1WD: leader-in-charge')");
        }

        var notify = match.Groups[2].Value.Split([',', '，', '、', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (ParseRule(match.Groups[1].Value), notify);
    }

    private static IEnumerable<string> LiteralItems(ActivityNode node, string name)
    {
        var expression = JsonRead.AsObject(node.Input(name))?.GetObject("expression");
        if (expression is null || expression.GetString("type") is not ("Literal" or "Object" or null))
        {
            return [];
        }

        var value = Values.FromJson(expression.Get("value"));
        if (value is string text && text.TrimStart().StartsWith('['))
        {
            value = Values.FromJson(JsonNode.Parse(text));
        }

        return Values.Items(value).Select(Values.AsText).OfType<string>().Where(t => !string.IsNullOrWhiteSpace(t));
    }

    [GeneratedRegex(@"^\s*([^\s:：]+)\s*(?:[:：]|=>)\s*(.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EscalationPattern();
}
