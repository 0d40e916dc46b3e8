using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Core.Approvals;

public sealed record DecisionCommand(string? CommandId, string? Action, string? Outcome, string? Opinion, string? ToUserName, string? ToStep);

public sealed record DecisionResult(Guid TaskId, string Action, string Outcome, string Status, string WorkflowInstanceId);

/// <summary>
/// A decision on a task: checked (assignee, not the submitter, still open, an opinion where one is required), applied
/// once per command id, and committed with the workflow's continuation in one transaction. A racing decision on the
/// same step loses with 409.
/// </summary>
public sealed class DecideTask(IApprovalTaskRepository tasks, IAuditLog audit, WorkflowHost host, TimeProvider clock)
{
    private static readonly Dictionary<string, (string Outcome, bool NeedsOpinion, TaskKind[] Kinds)> Actions = new(StringComparer.Ordinal)
    {
        ["approve"] = ("Approved", false, [TaskKind.Approval]),
        ["reject"] = ("Rejected", true, [TaskKind.Approval]),
        ["sendBack"] = ("SentBack", true, [TaskKind.Approval]),
        ["sign"] = ("Signed", false, [TaskKind.Signature]),
        ["refuse"] = ("Refused", true, [TaskKind.Signature]),
        ["submit"] = ("Submitted", false, [TaskKind.Submission]),
    };

    private static readonly string[] Known = ["approve", "reject", "sendBack", "reassign", "addApprover", "delegate", "sign", "refuse", "submit"];

    /// <summary>The actions a task offers its assignee now.</summary>
    public static IReadOnlyList<string> AllowedActions(ApprovalTask task) =>
        task.IsOpen ? Actions.Where(a => a.Value.Kinds.Contains(task.Kind)).Select(a => a.Key).ToList() : [];

    public async Task<DecisionResult> HandleAsync(Guid taskId, DecisionCommand command, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.CommandId) || command.CommandId.Length > 100)
        {
            throw new InputValidationException("commandId", "commandId is required (a client-generated id of at most 100 characters)");
        }

        if (await tasks.FindCommandResultAsync(command.CommandId, cancellationToken) is { } earlier)
        {
            return JsonSerializer.Deserialize<DecisionResult>(earlier, JsonDefaults.Compact)!;
        }

        if (command.Action is null || !Known.Contains(command.Action))
        {
            throw new InputValidationException("action", $"action must be one of {string.Join(", ", Known)}");
        }

        if (!Actions.TryGetValue(command.Action, out var rule))
        {
            throw new InputValidationException("action", $"'{command.Action}' is not available yet");
        }

        var opinion = command.Opinion?.Trim();
        if (opinion is { Length: > 2000 })
        {
            throw new InputValidationException("opinion", "opinion is longer than 2000 characters");
        }

        var task = await tasks.FindAsync(taskId, cancellationToken) ?? throw new NotFoundException($"task {taskId} not found");
        if (!rule.Kinds.Contains(task.Kind))
        {
            throw new InputValidationException("action", $"a {task.Kind} task does not offer '{command.Action}'");
        }

        if (rule.NeedsOpinion && string.IsNullOrEmpty(opinion))
        {
            throw new InputValidationException("opinion", "请填写意见 (an opinion is required to " + command.Action + ")");
        }

        var now = clock.GetUtcNow();
        task.Decide(actor.UserName, command.Action, rule.Outcome, opinion, now);
        var result = new DecisionResult(task.Id, command.Action, rule.Outcome, task.Status.ToString(), task.WorkflowInstanceId);
        tasks.RecordCommand(command.CommandId, task.Id, actor.UserName, JsonSerializer.Serialize(result, JsonDefaults.Compact), now);
        audit.Append(new AuditEntry(now, actor.UserName, "task.decision", task.DocumentId, null,
            $"{task.Step}：{rule.Outcome}{(string.IsNullOrEmpty(opinion) ? "" : "，意见：" + opinion)}"));
        try
        {
            await host.ResumeAsync(task.BookmarkId, new JsonObject
            {
                [RequestApproval.DecisionInputKey] = new JsonObject
                {
                    ["taskId"] = task.Id.ToString(),
                    ["action"] = command.Action,
                    ["outcome"] = rule.Outcome,
                    ["opinion"] = opinion,
                    ["by"] = actor.UserName,
                },
            }, cancellationToken);
        }
        catch (BookmarkNotFoundException)
        {
            throw new DomainException("任务已被他人处理或已关闭 (the task was decided by someone else or is closed).");
        }

        return result;
    }
}
