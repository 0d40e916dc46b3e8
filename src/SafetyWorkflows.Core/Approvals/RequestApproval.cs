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
    public const string TimedOut = "TimedOut";
    public const string DecisionInputKey = "TaskDecision";
    public const string DocumentIdInput = "documentId";
    public const string SubmittedByInput = "submittedBy";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var step = await context.EvaluateStringAsync("step") ?? context.Node.Name ?? context.Node.Id;
        var entries = Values.Items(await context.EvaluateInputAsync("assignees", "List<String>")).Select(Values.AsText).OfType<string>();
        var mode = Enum.TryParse<ApprovalMode>(await context.EvaluateStringAsync("mode", nameof(ApprovalMode.FirstResponse)), true, out var parsed) ? parsed : ApprovalMode.FirstResponse;
        var quorum = (int)Values.ToLong(await context.EvaluateInputAsync("quorum", "Int32", 1));
        var due = await context.EvaluateStringAsync("due");
        var custom = Values.Items(await context.EvaluateInputAsync("outcomes", "List<String>")).Select(Values.AsText).OfType<string>().ToList();
        var submittedBy = Values.AsText(Values.FromJson(context.Execution.State.Input[SubmittedByInput])) ?? "";
        var resolver = context.GetRequiredService<IAssigneeResolver>();
        var assignees = (await resolver.ResolveAsync(entries, context.Execution.CancellationToken)).Where(a => a != submittedBy).ToList();
        if (assignees.Count == 0)
        {
            throw new InvalidOperationException($"步骤“{step}”没有可指派的办理人 (step '{step}' has no assignee other than the submitter).");
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
        var first = mode == ApprovalMode.Serial ? assignees.Take(1) : assignees;
        var order = 0;
        foreach (var assignee in first)
        {
            CreateTask(context, assignee, order++);
        }

        if (DueAt(context) is { } dueAt)
        {
            // The step's deadline: resumed by the timer scheduler, it ends the step through the TimedOut port.
            context.CreateBookmark(DueBookmarkName, new JsonObject { ["ResumeAt"] = dueAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        }
    }

    public async ValueTask ResumeAsync(ActivityExecutionContext context, Workflows.Execution.Bookmark bookmark, JsonNode? input)
    {
        if (bookmark.Name == DueBookmarkName)
        {
            await FinishAsync(context, TimedOut, null, null);
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
    /// The step's deadline from <c>due</c>: an ISO-8601 duration (<c>P3D</c>) or N working days on the official calendar
    /// (<c>20WD</c>, <c>20 working days</c>, <c>20个工作日</c>), at the same time of day in China. A deadline that runs into a
    /// year the calendar does not cover comes with a note instead of being silently computed on weekends only.
    /// </summary>
    private static (DateTimeOffset? At, string? Note) Deadline(ActivityExecutionContext context)
    {
        if (context.Properties["due"]?.GetValue<string>() is not { Length: > 0 } text)
        {
            return (null, null);
        }

        var now = context.Execution.Clock.GetUtcNow();
        var match = WorkingDays.Match(text);
        if (!match.Success)
        {
            return (now + Values.ToTimeSpan(text), null);
        }

        var local = TimeZoneInfo.ConvertTime(now, Calendar.WorkingCalendar.China);
        var deadline = context.GetRequiredService<Calendar.WorkingCalendar>()
            .AddWorkingDays(DateOnly.FromDateTime(local.DateTime), int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var at = new DateTimeOffset(deadline.Date.ToDateTime(TimeOnly.FromDateTime(local.DateTime)), local.Offset);
        return (at, deadline.Certain ? null : $"期限跨入节假日安排未录入的年份，暂按周末计算，请核对 (the deadline runs into a year the holiday calendar does not cover yet)");
    }

    private static readonly System.Text.RegularExpressions.Regex WorkingDays = new(
        @"^\s*(\d{1,3})\s*(WD|wd|working\s*days?|个工作日)\s*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

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
    }

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
        };
        context.GetRequiredService<IApprovalTaskRepository>().Add(task);

        // The assignee learns of it through the outbox, written in the same transaction as the task.
        var title = Values.AsText(Values.FromJson(input["title"])) ?? task.Step;
        context.GetRequiredService<Notifications.INotificationOutbox>().Add(new Notifications.Notification(
            assignee, Notifications.NotificationKind.TaskAssigned, $"【待办】{task.Step}：{title}",
            $"您有一件待办：{title}（{task.Step}）。请登录安全生产文书流转办理：/tasks/{task.Id}", documentId, task.Id, context.Now));
    }
}
