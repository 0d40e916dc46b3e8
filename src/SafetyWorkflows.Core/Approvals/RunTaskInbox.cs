using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Plain Elsa definitions meet the inbox: an <c>Elsa.RunTask</c> whose payload names <c>assignees</c> (role keys, unit
/// ids or user names; optional <c>step</c>) gets a task per assignee, written in the run's own transaction. The first
/// decision completes the RunTask with <c>{action, outcome, opinion, by}</c> as its result.
/// </summary>
public sealed class RunTaskInbox(IApprovalTaskRepository tasks, IAssigneeResolver resolver, TimeProvider clock) : IWorkflowRunObserver
{
    public async Task OnRunAsync(Workflow workflow, RunResult result, CancellationToken cancellationToken)
    {
        foreach (var request in result.TaskRequests)
        {
            if (request.Payload is not JsonObject payload || payload.Get("assignees") is not { } named)
            {
                continue;
            }

            var bookmark = result.State.Bookmarks.FirstOrDefault(b => b.Name == StimulusNames.RunTask && b.Payload?["TaskId"]?.GetValue<string>() == request.TaskId);
            if (bookmark is null)
            {
                continue;
            }

            var input = result.State.Input;
            var submittedBy = Values.AsText(Values.FromJson(input[RequestApproval.SubmittedByInput])) ?? "";
            var documentId = Guid.TryParse(Values.AsText(Values.FromJson(input[RequestApproval.DocumentIdInput])), out var id) ? id : (Guid?)null;
            var entries = Values.Items(Values.FromJson(named)).Select(Values.AsText).OfType<string>();
            var assignees = (await resolver.ResolveAsync(entries, cancellationToken)).Where(a => a != submittedBy).ToList();
            var step = payload.GetString("step") ?? request.TaskName;
            var order = 0;
            foreach (var assignee in assignees)
            {
                tasks.Add(new ApprovalTask(Guid.NewGuid(), documentId, result.State.Id, bookmark.ActivityId, bookmark.ActivityInstanceId, bookmark.Id,
                    step, TaskKind.Approval, assignee, submittedBy, order++, clock.GetUtcNow(), null)
                {
                    ResumeInputKey = RunTask.ResultInputKey,
                    LibraryKey = Values.AsText(Values.FromJson(input["library"])),
                });
            }
        }
    }
}
