using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Core.Incidents;

/// <summary>
/// No silent dead ends: when a run leaves its instance stopped on an incident (a step threw, nobody could be assigned,
/// the execution budget ran out), the safety heads and administrators each get a 流程异常 task ("retry from the failed
/// step") and a notice, and the audit chain records it, in the run's own transaction. When a later run clears the
/// incidents (a retry) or the instance is cancelled, the open 流程异常 tasks close.
/// </summary>
public sealed class IncidentInbox(
    IApprovalTaskRepository tasks,
    IAssigneeResolver resolver,
    IOrganisationDirectory directory,
    INotificationOutbox outbox,
    IAuditLog audit,
    IncidentRetries retries,
    TimeProvider clock) : IWorkflowRunObserver
{
    /// <summary>Who is told when a workflow stops: the head of the safety office and the administrators.</summary>
    public static readonly string[] Handlers = [$"role:{Roles.SafetyHead}", $"role:{Roles.Admin}"];

    public async Task OnRunAsync(Workflow workflow, RunResult result, CancellationToken cancellationToken)
    {
        var state = result.State;
        if (state.Incidents.Count == 0 && retries.RetriedBy is null)
        {
            return;
        }

        var open = await tasks.ListOpenForInstanceAsync(state.Id, TaskKind.Incident, cancellationToken);
        if (!IncidentFacts.IsStopped(state))
        {
            Close(open, state);
            return;
        }

        if (open.Count == 0)
        {
            await RaiseAsync(workflow, state, cancellationToken);
        }
    }

    private async Task RaiseAsync(Workflow workflow, WorkflowState state, CancellationToken cancellationToken)
    {
        var incident = state.Incidents[0];
        var step = IncidentFacts.Step(workflow, state, incident);
        var words = IncidentWords.Describe(step, incident.Message);
        var documentId = IncidentFacts.DocumentId(state);
        var title = IncidentFacts.Title(state) ?? workflow.Definition.Name ?? workflow.Definition.DefinitionId;
        var now = clock.GetUtcNow();
        var handlers = await resolver.ResolveAsync(Handlers, cancellationToken);
        var order = 0;
        foreach (var handler in handlers)
        {
            // No bookmark and no submitter: the task is about the stop; its activity instance id holds the incident's id.
            var task = new ApprovalTask(
                Guid.NewGuid(), documentId, state.Id, incident.ActivityId, incident.Id, "", step, TaskKind.Incident, handler, "", order++, now, null)
            {
                AssignmentNote = words,
                LibraryKey = IncidentFacts.Library(state),
            };
            tasks.Add(task);
            outbox.Add(new Notification(handler, NotificationKind.WorkflowStopped, $"【流程异常】{title}：{step}",
                IncidentWords.Chinese(step, incident.Message) + "。", documentId, task.Id, now));
        }

        var names = new List<string>();
        foreach (var handler in handlers)
        {
            names.Add(await directory.DisplayNameAsync(handler, cancellationToken));
        }

        var (zh, _) = IncidentWords.Halves(incident.Message);
        audit.Append(new AuditEntry(now, "workflow", AuditActions.WorkflowIncident, documentId, null,
            $"《{title}》审批流程在“{step}”环节中断：{zh}；已通知{string.Join("、", names)}处理"));
    }

    /// <summary>The incidents are gone: the retrier's own task is done ("retry"), the others are no longer needed.</summary>
    private void Close(IReadOnlyList<ApprovalTask> open, WorkflowState state)
    {
        if (open.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var task in open)
        {
            if (task.Assignee == retries.RetriedBy && state.SubStatus != WorkflowSubStatus.Cancelled)
            {
                task.Decide(task.Assignee, IncidentFacts.RetryAction, IncidentFacts.ResumedOutcome, null, now);
            }
            else
            {
                task.Cancel(now);
            }
        }

        var first = open[0];
        var by = retries.RetriedBy ?? "workflow";
        audit.Append(new AuditEntry(now, by, AuditActions.WorkflowIncident, first.DocumentId, null,
            state.SubStatus == WorkflowSubStatus.Cancelled
                ? $"中断于“{first.Step}”环节的流程已取消"
                : $"中断于“{first.Step}”环节的流程经重试已恢复运行"));
    }
}
