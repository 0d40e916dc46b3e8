using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>A command id already used on another task or by another official (HTTP 409 naming it).</summary>
public sealed class CommandIdConflictException(string commandId)
    : DomainException($"commandId“{commandId}”已用于另一项办理，请换一个 (commandId '{commandId}' was already used on another task or by another official).")
{
    public string CommandId { get; } = commandId;
}

/// <summary>A decision on a task. <c>position</c> (before/after) applies to addApprover.</summary>
public sealed record DecisionCommand(string? CommandId, string? Action, string? Outcome, string? Opinion, string? ToUserName, string? ToStep, string? Position = null);

/// <summary>
/// What a decision did. The decision is taken even when the chain then stops on a fault: <see cref="ChainStopped"/> says so,
/// <see cref="Incident"/> says where and why, and <see cref="Notified"/> names who was told to retry it.
/// </summary>
public sealed record DecisionResult(Guid TaskId, string Action, string? Outcome, string Status, string WorkflowInstanceId, Guid? NextTaskId)
{
    public bool ChainStopped { get; init; }

    public Incidents.OpenIncident? Incident { get; init; }

    public IReadOnlyList<string> Notified { get; init; } = [];
}

/// <summary>
/// A decision on a task: checked (assignee, not the submitter, still open, an opinion where one is required), applied
/// once per command id, and committed with the workflow's continuation in one transaction. A racing decision on the
/// same step loses with 409. Hand-overs (转办 reassign, 委托 delegate, 加签 add approver) keep the step's bookmark and
/// give the task to someone else; only a final decision resumes the workflow.
/// </summary>
public sealed class DecideTask(
    IApprovalTaskRepository tasks,
    TaskLoader loader,
    ITaskAttachmentRepository attachments,
    Notifications.INotificationOutbox outbox,
    IOrganisationDirectory directory,
    IDocumentRepository documents,
    IAuditLog audit,
    WorkflowHost host,
    IWorkflowUnitOfWork unitOfWork,
    Incidents.QueryIncidents incidents,
    Incidents.RetryIncident retry,
    TimeProvider clock,
    TaskLinks taskLinks)
{
    private static readonly Dictionary<string, (string? Outcome, bool NeedsOpinion, TaskKind[] Kinds)> Rules = new(StringComparer.Ordinal)
    {
        ["approve"] = ("Approved", false, [TaskKind.Approval]),
        ["reject"] = ("Rejected", true, [TaskKind.Approval]),
        ["sendBack"] = ("SentBack", true, [TaskKind.Approval]),
        ["reassign"] = (null, false, [TaskKind.Approval, TaskKind.Signature, TaskKind.Submission]),
        ["addApprover"] = (null, false, [TaskKind.Approval]),
        ["delegate"] = (null, false, [TaskKind.Approval]),
        ["copy"] = (null, false, [TaskKind.Approval, TaskKind.Signature, TaskKind.Submission]),
        ["sign"] = ("Signed", false, [TaskKind.Signature]),
        ["refuse"] = ("Refused", true, [TaskKind.Signature]),
        ["submit"] = ("Submitted", false, [TaskKind.Submission]),
        [Incidents.IncidentFacts.RetryAction] = (null, false, [TaskKind.Incident]),
    };

    /// <summary>The actions a task offers its assignee now (a delegate may advise, not hand over again).</summary>
    /// <summary>The accident chain's closing step (<c>workflows/accident-report.json</c>): 四不放过.</summary>
    public const string FourNotsStep = "fourNots";

    public static IReadOnlyList<string> AllowedActions(ApprovalTask task) =>
        task.IsOpen
            ? Rules.Where(r => r.Value.Kinds.Contains(task.Kind) && (task.Handover == Handover.None || r.Value.Outcome is not null)).Select(r => r.Key).ToList()
            : [];

    public async Task<DecisionResult> HandleAsync(Guid taskId, DecisionCommand command, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.CommandId) || command.CommandId.Length > 100)
        {
            throw new InputValidationException("commandId", "commandId is required (a client-generated id of at most 100 characters)");
        }

        if (command.Action is null || !Rules.ContainsKey(command.Action))
        {
            throw new InputValidationException("action", $"action must be one of {string.Join(", ", Rules.Keys)}");
        }

        if (command.Opinion?.Trim() is { Length: > 2000 })
        {
            throw new InputValidationException("opinion", "opinion is longer than 2000 characters");
        }

        // Then the task and the caller: a command id answers only for its own task and caller.
        var task = await loader.LoadActionableAsync(taskId, actor, cancellationToken);

        if (await EarlierAsync(command.CommandId, task, actor, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        try
        {
            return await DecideAsync(task, command, actor, cancellationToken);
        }
        catch (Exception ex) when (ex is DomainException or WorkflowConcurrencyException && ex is not CommandIdConflictException)
        {
            // The same command sent twice at once: the copy that lost the race answers what the winner answered.
            if (await EarlierAsync(command.CommandId, task, actor, cancellationToken) is { } won)
            {
                return won;
            }

            throw;
        }
    }

    /// <summary>What this command answered before, if it was applied; a command id used on another task or by another caller is a conflict.</summary>
    private async Task<DecisionResult?> EarlierAsync(string commandId, ApprovalTask task, Actor actor, CancellationToken cancellationToken)
    {
        if (await tasks.FindCommandAsync(commandId, cancellationToken) is not { } applied)
        {
            return null;
        }

        if (applied.TaskId != task.Id || applied.By != actor.UserName)
        {
            throw new CommandIdConflictException(commandId);
        }

        return JsonSerializer.Deserialize<DecisionResult>(applied.ResultJson, JsonDefaults.Compact)!;
    }

    private async Task<DecisionResult> DecideAsync(ApprovalTask task, DecisionCommand command, Actor actor, CancellationToken cancellationToken)
    {
        var action = command.Action!;
        var rule = Rules[action];
        var opinion = command.Opinion?.Trim();
        if (!AllowedActions(task).Contains(action) && task.IsOpen)
        {
            throw new InputValidationException("action", $"this task does not offer '{action}' (it offers {string.Join(", ", AllowedActions(task))})");
        }

        var files = action == "submit" ? await attachments.ListAsync(task.Id, cancellationToken) : [];
        if (action == "submit" && files.Count == 0)
        {
            throw new InputValidationException("files", "请先上传整改材料 (attach at least one file through /api/tasks/{id}/files before submitting).");
        }

        if (action == "submit" && task.LibraryKey == Documents.Libraries.AccidentReports && task.ActivityId == FourNotsStep
            && EvidenceLabels.FourNots.Where(l => files.All(f => f.Label != l)).ToList() is { Count: > 0 } missing)
        {
            // 四不放过: the case closes only when cause, responsibility, measures and education each carry evidence.
            throw new InputValidationException("label", $"四不放过尚缺材料：{string.Join("、", missing.Select(EvidenceLabels.Words))} " +
                $"(the case closes only when each of {string.Join(", ", EvidenceLabels.FourNots)} carries evidence; missing: {string.Join(", ", missing)}).");
        }

        if (rule.NeedsOpinion && string.IsNullOrEmpty(opinion))
        {
            throw new InputValidationException("opinion", $"{ActionWords(action)}须写明理由 (a reason is required to {action})");
        }

        var outcome = rule.Outcome;
        if (command.ToStep is { Length: > 0 } toStep)
        {
            // 退回 to a named earlier step: the chain declares it as the step's outcome "SentBack:<step id>" and wires it back.
            if (action != "sendBack" || !task.SendBackTargets.Contains(toStep))
            {
                throw new InputValidationException("toStep", $"this step can send back to: {string.Join(", ", task.SendBackTargets.DefaultIfEmpty("(the drafter only)"))}");
            }

            outcome = TaskOutcomes.SendBackPrefix + toStep;
        }
        else if (command.Outcome is { Length: > 0 } chosen && chosen != outcome)
        {
            if (action != "approve" || !task.OwnOutcomes.Contains(chosen))
            {
                throw new InputValidationException("outcome", $"outcome must be one of the step's own outcomes ({string.Join(", ", task.OwnOutcomes)}), chosen with approve");
            }

            outcome = chosen;
        }

        var now = clock.GetUtcNow();
        if (action == Incidents.IncidentFacts.RetryAction)
        {
            return await RetryAsync(task, command, actor, cancellationToken);
        }

        if (action == "copy")
        {
            return await CopyAsync(task, command, opinion, actor, now, cancellationToken);
        }

        var (next, resume) = outcome is null
            ? (await HandOverAsync(task, command, opinion, actor, now, cancellationToken), false)
            : Decide(task, action, outcome, opinion, actor, now);
        if (next is not null)
        {
            tasks.Add(next);

            // A unit's principal or village head gets the task with a signed link, as from the chain itself.
            var link = (await taskLinks.WhoGetLinksAsync([next.Assignee], cancellationToken)).Count > 0 ? taskLinks.Issue(next, now) : null;
            outbox.Add(new Notifications.Notification(next.Assignee, Notifications.NotificationKind.TaskAssigned, $"【待办】{next.Step}",
                $"{actor.DisplayName} 将“{next.Step}”交给您办理 (handed to you by {actor.DisplayName}): {link ?? $"/tasks/{next.Id}"}", next.DocumentId, next.Id, now)
            {
                Link = link,
            });
        }

        if (resume && !string.IsNullOrEmpty(task.SubmittedBy) && task.SubmittedBy != actor.UserName)
        {
            // The submitter learns of each final decision on their document, with the opinion (留痕).
            outbox.Add(new Notifications.Notification(task.SubmittedBy, Notifications.NotificationKind.Decided, $"【办理结果】{task.Step}：{TaskOutcomes.Words(outcome)}",
                $"{actor.DisplayName}：{TaskOutcomes.Words(outcome)}{(string.IsNullOrEmpty(opinion) ? "" : "，意见：" + opinion)}", task.DocumentId, task.Id, now));
        }

        var result = new DecisionResult(task.Id, action, outcome, task.Status.ToString(), task.WorkflowInstanceId, next?.Id);
        tasks.RecordCommand(command.CommandId!, task.Id, actor.UserName, JsonSerializer.Serialize(result, JsonDefaults.Compact), now);
        audit.Append(new AuditEntry(now, actor.UserName, "task." + action, task.DocumentId, null,
            $"{task.Step}：{(outcome is null ? ActionWords(action) : TaskOutcomes.Words(outcome))}{(next is null ? "" : " → " + await directory.DisplayNameAsync(next.Assignee, cancellationToken))}{(string.IsNullOrEmpty(opinion) ? "" : "，意见：" + opinion)}"));
        if (!resume)
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
            return result;
        }

        RunResult run;
        try
        {
            run = await host.ResumeAsync(task.BookmarkId, new JsonObject
            {
                [task.ResumeInputKey] = new JsonObject
                {
                    ["taskId"] = task.Id.ToString(),
                    ["action"] = action,
                    ["outcome"] = outcome,
                    ["opinion"] = opinion,
                    ["by"] = actor.UserName,
                },
            }, cancellationToken);
        }
        catch (BookmarkNotFoundException)
        {
            throw new DomainException("任务已被他人处理或已关闭 (the task was decided by someone else or is closed).");
        }

        if (task.ResumeInputKey != RequestApproval.DecisionInputKey)
        {
            // An Elsa RunTask has one bookmark shared by its assignees' tasks: the first decision closes the others.
            foreach (var other in await tasks.ListOpenByBookmarkAsync(task.BookmarkId, cancellationToken))
            {
                other.Cancel(now);
            }

            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        if (!Incidents.IncidentFacts.IsStopped(run.State))
        {
            return result;
        }

        // The decision stands, but the chain stopped after it: say where, why and who was told, now and on a repeat.
        result = await StoppedAsync(result, task.WorkflowInstanceId, cancellationToken);
        tasks.UpdateCommandResult(command.CommandId!, JsonSerializer.Serialize(result, JsonDefaults.Compact));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return result;
    }

    private async Task<DecisionResult> StoppedAsync(DecisionResult result, string workflowInstanceId, CancellationToken cancellationToken)
    {
        var open = await incidents.ForInstanceAsync(workflowInstanceId, cancellationToken);
        if (open.Count == 0)
        {
            return result;
        }

        var names = new List<string>();
        foreach (var userName in open.SelectMany(i => i.Notified).Distinct(StringComparer.Ordinal))
        {
            names.Add(await directory.DisplayNameAsync(userName, cancellationToken));
        }

        return result with { ChainStopped = true, Incident = open[0], Notified = names };
    }

    /// <summary>重试 on a 流程异常 task: the stopped workflow runs again from the failed step; the answer says whether it carries on.</summary>
    private async Task<DecisionResult> RetryAsync(ApprovalTask task, DecisionCommand command, Actor actor, CancellationToken cancellationToken)
    {
        if (!task.IsOpen)
        {
            throw new DomainException("该流程异常已处理 (this stopped workflow was already dealt with).");
        }

        var outcome = await retry.HandleAsync(task.WorkflowInstanceId, null, actor, cancellationToken);
        var result = new DecisionResult(task.Id, Incidents.IncidentFacts.RetryAction, outcome.Resumed ? Incidents.IncidentFacts.ResumedOutcome : null,
            task.Status.ToString(), task.WorkflowInstanceId, null)
        {
            ChainStopped = !outcome.Resumed,
            Incident = outcome.Incidents.Count > 0 ? outcome.Incidents[0] : null,
            Notified = outcome.Notified,
        };
        tasks.RecordCommand(command.CommandId!, task.Id, actor.UserName, JsonSerializer.Serialize(result, JsonDefaults.Compact), clock.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>A final decision resumes the step, unless the task was delegated (advice) or added before someone who must still decide.</summary>
    private static (ApprovalTask? Next, bool Resume) Decide(ApprovalTask task, string action, string outcome, string? opinion, Actor actor, DateTimeOffset now)
    {
        task.Decide(actor.UserName, action, outcome, opinion, now);
        return task.Handover switch
        {
            Handover.Delegated => (task.ComeBack(now), false),
            Handover.AddedBefore when outcome is "Approved" => (task.ComeBack(now), false),
            _ => (null, true),
        };
    }

    private async Task<ApprovalTask> HandOverAsync(ApprovalTask task, DecisionCommand command, string? opinion, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await ReceiverAsync(task, command.ToUserName, cancellationToken);

        if (to == actor.UserName)
        {
            throw new InputValidationException("toUserName", "a task cannot be handed to its own assignee");
        }

        return command.Action switch
        {
            "reassign" => task.PassTo(actor.UserName, "reassign", to, Handover.None, null, opinion, now),
            "delegate" => task.PassTo(actor.UserName, "delegate", to, Handover.Delegated, actor.UserName, opinion, now),
            _ => command.Position switch
            {
                null or "before" => task.PassTo(actor.UserName, "addApprover", to, Handover.AddedBefore, actor.UserName, opinion, now),
                "after" => AddAfter(task, to, opinion, actor, now),
                _ => throw new InputValidationException("position", "position must be before or after"),
            },
        };
    }

    /// <summary>The official a hand-over or copy goes to: active, and allowed to see the task's document (<see cref="TaskAccess"/>).</summary>
    private async Task<string> ReceiverAsync(ApprovalTask task, string? userName, CancellationToken cancellationToken)
    {
        var to = userName?.Trim();
        if (string.IsNullOrEmpty(to) || await directory.FindOfficialAsync(to, cancellationToken) is not { IsActive: true } official)
        {
            throw new InputValidationException("toUserName", $"toUserName must name an active official (got '{to}')");
        }

        var document = task.DocumentId is { } id ? await documents.FindAsync(id, cancellationToken) : null;
        if (!TaskAccess.CanReceive(official, document))
        {
            throw new InputValidationException("toUserName",
                $"{official.DisplayName}无权查看该文档，不能转交或抄送给他/她 ({to} may not see this document, so it cannot be handed over or copied to them).");
        }

        return to;
    }

    /// <summary>抄送: the document goes to someone for information; the task stays open and the copy is on record.</summary>
    private async Task<DecisionResult> CopyAsync(ApprovalTask task, DecisionCommand command, string? opinion, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await ReceiverAsync(task, command.ToUserName, cancellationToken);
        if (!task.IsOpen)
        {
            throw new DomainException("任务已关闭 (the task is closed).");
        }

        outbox.Add(new Notifications.Notification(to, Notifications.NotificationKind.Message, $"【抄送】{task.Step}",
            $"{actor.DisplayName} 抄送给您阅知（{task.Step}）{(string.IsNullOrEmpty(opinion) ? "" : "：" + opinion)}", task.DocumentId, task.Id, now));
        var result = new DecisionResult(task.Id, "copy", null, task.Status.ToString(), task.WorkflowInstanceId, null);
        tasks.RecordCommand(command.CommandId!, task.Id, actor.UserName, JsonSerializer.Serialize(result, JsonDefaults.Compact), now);
        audit.Append(new AuditEntry(now, actor.UserName, "task.copy", task.DocumentId, null, $"{task.Step}：抄送 {await directory.DisplayNameAsync(to, cancellationToken)}"));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return result;
    }

    private static string ActionWords(string action) => action switch
    {
        "reassign" => "转办",
        "delegate" => "委托",
        "addApprover" => "加签",
        "copy" => "抄送",
        "reject" => "不同意",
        "refuse" => "拒签",
        "sendBack" => "退回",
        _ => action,
    };

    /// <summary>加签 after me: my approval is recorded, and the added approver's decision is the one that counts for the step.</summary>
    private static ApprovalTask AddAfter(ApprovalTask task, string to, string? opinion, Actor actor, DateTimeOffset now) =>
        task.PassTo(actor.UserName, "addApprover", to, Handover.None, null, opinion, now);
}
