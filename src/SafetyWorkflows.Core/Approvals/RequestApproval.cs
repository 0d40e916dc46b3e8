using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>How a step with several assignees decides (the approval verbs of Chinese OA practice).</summary>
public enum ApprovalMode
{
    /// <summary>顺序会签: one after another; the first non-approval ends the step.</summary>
    Serial,

    /// <summary>会签: everyone must approve; one rejection ends the step.</summary>
    AllMustApprove,

    /// <summary>或签: the first to answer decides.</summary>
    FirstResponse,

    /// <summary>M of N: approved once <c>quorum</c> approve; rejected once that can no longer happen.</summary>
    Quorum,
}

/// <summary>
/// <c>SafetyWorkflows.RequestApproval</c> and <c>SafetyWorkflows.RequestSignature</c>: create a task per assignee (the
/// submitter excluded), wait on a bookmark per task, and complete with the step's outcome (<c>Approved</c>,
/// <c>Rejected</c>, <c>SentBack</c>, a custom outcome; <c>Signed</c>/<c>Refused</c> for signatures). Outputs
/// <c>decision</c>, <c>opinion</c> and <c>decidedBy</c>.
/// </summary>
public sealed class RequestApproval(TaskKind kind) : IResumableActivity, IValidatingActivity
{
    public const string ApprovalType = "SafetyWorkflows.RequestApproval";
    public const string SignatureType = "SafetyWorkflows.RequestSignature";
    public const string SubmissionType = "SafetyWorkflows.RequestSubmission";
    public const string BookmarkName = "SafetyWorkflows.Task";
    public const string DueBookmarkName = "SafetyWorkflows.TaskDue";
    public const string ClockBookmarkName = "SafetyWorkflows.TaskClock";
    public const string TimedOut = "TimedOut";
    public const string DecisionInputKey = "TaskDecision";
    public const string DocumentIdInput = "documentId";
    public const string SubmittedByInput = "submittedBy";

    /// <summary>The step's assignees whose tasks come with a signed link (<see cref="TaskLinks"/>), found once when the step starts.</summary>
    private const string LinkedProperty = "linked";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var step = await context.EvaluateStringAsync("step") ?? context.Node.Name ?? context.Node.Id;
        var entries = Values.Items(await context.EvaluateInputAsync("assignees", "List<String>")).Select(Values.AsText).OfType<string>().ToList();
        var mode = Enum.TryParse<ApprovalMode>(await context.EvaluateStringAsync("mode", nameof(ApprovalMode.FirstResponse)), true, out var parsed) ? parsed : ApprovalMode.FirstResponse;
        var quorum = (int)Values.ToLong(await context.EvaluateInputAsync("quorum", "Int32", 1));
        var due = await context.EvaluateStringAsync("due");
        var custom = Values.Items(await context.EvaluateInputAsync("outcomes", "List<String>")).Select(Values.AsText).OfType<string>().ToList();
        var submittedBy = Values.AsText(Values.FromJson(context.Execution.State.Input[SubmittedByInput])) ?? "";
        var resolver = context.GetRequiredService<IAssigneeResolver>();
        var (assignees, assignmentNote) = await AssigneeFallback.ResolveAsync(resolver, context.GetRequiredService<Organisation.IOrganisationDirectory>(), entries, step, submittedBy, context.Execution.CancellationToken);
        if (assignmentNote is not null)
        {
            // The safety head stands in for whoever was meant: they decide alone, whatever the step's mode was.
            mode = ApprovalMode.FirstResponse;
            context.Properties[AssigneeFallback.NoteProperty] = assignmentNote;
        }

        if (mode == ApprovalMode.Quorum && (quorum < 1 || quorum > assignees.Count))
        {
            throw new InvalidOperationException($"quorum {quorum} is not between 1 and the {assignees.Count} assignees of step '{step}'");
        }

        context.Properties["mode"] = mode.ToString();
        context.Properties["quorum"] = quorum;
        context.Properties["step"] = step;
        context.Properties["due"] = due;
        context.Properties["assignees"] = new JsonArray(assignees.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        context.Properties["approvals"] = 0;
        context.Properties["rejections"] = 0;
        context.Properties["customOutcomes"] = new JsonArray(custom.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray());
        var linked = await context.GetRequiredService<TaskLinks>().WhoGetLinksAsync(assignees, context.Execution.CancellationToken);
        context.Properties[LinkedProperty] = new JsonArray(linked.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        var first = mode == ApprovalMode.Serial ? assignees.Take(1) : assignees;
        var order = 0;
        foreach (var assignee in first)
        {
            CreateTask(context, assignee, order++);
        }

        var clocks = await TaskClocks.ReadAsync(context);
        if (DueAt(context) is null && clocks.HasProgressReports)
        {
            // No deadline, but a 挂牌督办 listing still asks for progress reports.
            foreach (var clock in clocks.Plan(context.Now, context.Now, context.GetRequiredService<Calendar.WorkingCalendar>()).Where(c => c.Kind == TaskClockKind.ProgressReport))
            {
                context.CreateBookmark(ClockBookmarkName, clock.ToPayload());
            }
        }

        if (DueAt(context) is { } dueAt)
        {
            context.Properties["dueAt"] = Iso(dueAt);
            foreach (var clock in clocks.Plan(dueAt, context.Now, context.GetRequiredService<Calendar.WorkingCalendar>()))
            {
                // Reminders (催办) and the escalation ladder (督办): each a timer bookmark, all dropped with the step.
                context.CreateBookmark(ClockBookmarkName, clock.ToPayload());
            }

            if (clocks.TimeoutAt(dueAt, context.GetRequiredService<Calendar.WorkingCalendar>()) is { } timeoutAt)
            {
                // The step's time-out: resumed by the timer scheduler, it ends the step through the TimedOut port.
                context.CreateBookmark(DueBookmarkName, new JsonObject { ["ResumeAt"] = Iso(timeoutAt) });
            }
        }
    }

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask ResumeAsync(ActivityExecutionContext context, Workflows.Execution.Bookmark bookmark, JsonNode? input)
    {
        if (bookmark.Name == DueBookmarkName)
        {
            await FinishAsync(context, TimedOut, null, null);
            return;
        }

        if (bookmark.Name == ClockBookmarkName)
        {
            // A reminder or an escalation: the step goes on waiting; its bookmark was consumed, so it sends once.
            await TaskClocks.FireAsync(context, TaskClock.FromPayload(bookmark.Payload!));
            return;
        }

        var decision = context.Execution.State.Input[DecisionInputKey] as JsonObject
            ?? throw new InvalidOperationException("the step was resumed without a decision");
        var outcome = decision.GetString("outcome") ?? "Approved";
        var mode = Enum.Parse<ApprovalMode>(context.Properties["mode"]!.GetValue<string>());
        var assignees = context.Properties["assignees"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var approvals = context.Properties["approvals"]!.GetValue<int>() + (IsApproval(outcome) ? 1 : 0);
        var rejections = context.Properties["rejections"]!.GetValue<int>() + (IsApproval(outcome) ? 0 : 1);
        context.Properties["approvals"] = approvals;
        context.Properties["rejections"] = rejections;

        var finished = (mode, IsApproval(outcome)) switch
        {
            (ApprovalMode.Quorum, _) when approvals >= context.Properties["quorum"]!.GetValue<int>() => outcome,
            (ApprovalMode.Quorum, _) when assignees.Count - rejections < context.Properties["quorum"]!.GetValue<int>() => RejectedOutcome,
            (ApprovalMode.Quorum, _) => null,
            (_, false) => outcome,
            (ApprovalMode.FirstResponse, true) => outcome,
            (ApprovalMode.AllMustApprove, true) => approvals >= assignees.Count ? outcome : null,
            (ApprovalMode.Serial, true) when approvals < assignees.Count => NextSerial(context, assignees, approvals),
            _ => outcome,
        };

        if (finished is null)
        {
            return;
        }

        await FinishAsync(context, finished, decision.GetString("opinion"), decision.GetString("by"));
    }

    /// <summary>Ends the step: outputs set, every task still open cancelled, the deadline bookmark dropped with the activity.</summary>
    private static async ValueTask FinishAsync(ActivityExecutionContext context, string outcome, string? opinion, string? decidedBy)
    {
        context.SetOutput("decision", outcome);
        context.SetOutput("opinion", opinion);
        context.SetOutput("decidedBy", decidedBy);
        var repository = context.GetRequiredService<IApprovalTaskRepository>();
        foreach (var open in (await repository.ListForStepAsync(context.Execution.State.Id, context.Id, context.Execution.CancellationToken)).Where(t => t.IsOpen))
        {
            open.Cancel(context.Now);
        }

        await context.CompleteAsync(outcome);
    }

    private static DateTimeOffset? DueAt(ActivityExecutionContext context) => Deadline(context).At;

    /// <summary>
    /// The step's deadline from <c>due</c> (see <see cref="Calendar.DeadlineRule"/>: an ISO-8601 duration, N working days on
    /// the official calendar, N calendar days, or quarter+15), at the same time of day in China. A deadline that runs into
    /// a year the calendar does not cover comes with a note instead of being silently computed on weekends only.
    /// </summary>
    private static (DateTimeOffset? At, string? Note) Deadline(ActivityExecutionContext context)
    {
        if (context.Properties["due"]?.GetValue<string>() is not { Length: > 0 } text)
        {
            return (null, null);
        }

        var rule = Calendar.DeadlineRule.TryParse(text, out var parsed) ? parsed : new Calendar.DeadlineRule(Calendar.DeadlineUnit.Duration, 0, Values.ToTimeSpan(text), text);
        var deadline = rule.From(context.Execution.Clock.GetUtcNow(), context.GetRequiredService<Calendar.WorkingCalendar>());
        return (deadline.At, deadline.Certain ? null : UncoveredYearNote);
    }

    public const string UncoveredYearNote = "期限跨入节假日安排未录入的年份，暂按周末计算，请核对 (the deadline runs into a year the holiday calendar does not cover yet)";

    public IEnumerable<string> Validate(ActivityNode node)
    {
        var assignees = node.Input("assignees");
        var expression = JsonRead.AsObject(assignees)?.GetObject("expression");
        var text = JsonRead.AsString(expression?.Get("value"));
        var literal = expression?.GetString("type") is "Literal" or "Object";

        // Elsa Studio's check list writes "[]" when nothing is ticked: as empty as no value at all.
        if (assignees is null || string.IsNullOrWhiteSpace(text) || (literal && JsonRead.TryParse(text!) is JsonArray { Count: 0 }))
        {
            yield return "没有指定办理人：请选择角色、单位或人员 (no assignees: name roles, units or officials)";
        }

        foreach (var problem in TaskClocks.Validate(node))
        {
            yield return problem;
        }
    }

    public IEnumerable<string> ValidateConnections(ActivityNode node, FlowGraph flow) => TaskClocks.ValidateTimeout(node, flow);

    private string RejectedOutcome => kind switch
    {
        TaskKind.Signature => "Refused",
        _ => "Rejected",
    };

    private static bool IsApproval(string outcome) => outcome is "Approved" or "Signed" or "Submitted";

    private string? NextSerial(ActivityExecutionContext context, List<string> assignees, int approvals)
    {
        CreateTask(context, assignees[approvals], approvals);
        return null;
    }

    private void CreateTask(ActivityExecutionContext context, string assignee, int order)
    {
        var input = context.Execution.State.Input;
        var documentId = Guid.TryParse(Values.AsText(Values.FromJson(input[DocumentIdInput])), out var id) ? id : (Guid?)null;
        var (due, dueNote) = Deadline(context);
        var taskId = Guid.NewGuid();
        var bookmark = context.CreateBookmark(BookmarkName, new JsonObject { ["TaskId"] = taskId.ToString() });
        var task = new ApprovalTask(
            taskId,
            documentId, context.Execution.State.Id, context.Node.Id, context.Id, bookmark.Id,
            context.Properties["step"]!.GetValue<string>(), kind, assignee,
            Values.AsText(Values.FromJson(input[SubmittedByInput])) ?? "", order, context.Now, due)
        {
            CustomOutcomes = context.Properties["customOutcomes"]?.AsArray().Select(o => o!.GetValue<string>()).ToList() ?? [],
            LibraryKey = Values.AsText(Values.FromJson(input["library"])),
            DueNote = dueNote,
            AssignmentNote = context.Properties[AssigneeFallback.NoteProperty]?.GetValue<string>(),
        };
        context.GetRequiredService<IApprovalTaskRepository>().Add(task);

        // The assignee learns of it through the outbox, written in the same transaction as the task.
        var title = Values.AsText(Values.FromJson(input["title"])) ?? task.Step;
        var link = context.Properties[LinkedProperty] is JsonArray linked && linked.Any(a => a?.GetValue<string>() == assignee)
            ? context.GetRequiredService<TaskLinks>().Issue(task, context.Now)
            : null;
        context.GetRequiredService<Notifications.INotificationOutbox>().Add(new Notifications.Notification(
            assignee, Notifications.NotificationKind.TaskAssigned, $"【待办】{task.Step}：{title}",
            link is null
                ? $"您有一件待办：{title}（{task.Step}）。{task.AssignmentNote}请登录安全生产文书流转办理：/tasks/{task.Id}"
                : $"您有一件待办：{title}（{task.Step}）。{task.AssignmentNote}打开链接即可办理，无需密码（仅限本人、本任务，30 天内有效）：{link}",
            documentId, task.Id, context.Now) { Link = link });
    }
}
