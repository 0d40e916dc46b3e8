using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Incidents;

/// <summary>What an instance's state says about its incidents and its document.</summary>
public static class IncidentFacts
{
    /// <summary>The action of a 流程异常 task: retry from the failed step.</summary>
    public const string RetryAction = "retry";

    /// <summary>The outcome of a 流程异常 task whose retry let the workflow carry on.</summary>
    public const string ResumedOutcome = "Resumed";

    /// <summary>Stopped on an incident: faulted, or suspended with incidents under the continue strategy; not cancelled.</summary>
    public static bool IsStopped(WorkflowState state) =>
        state.Incidents.Count > 0 && state.SubStatus is WorkflowSubStatus.Faulted or WorkflowSubStatus.Suspended;

    public static Guid? DocumentId(WorkflowState state) =>
        Guid.TryParse(Text(state, RequestApproval.DocumentIdInput), out var id) ? id : null;

    public static string? Title(WorkflowState state) => Text(state, "title");

    public static string? Library(WorkflowState state) => Text(state, "library");

    /// <summary>The step as officials read it: a task step's own name, else the activity's display name, else its id.</summary>
    public static string Step(Workflow workflow, WorkflowState state, Incident incident)
    {
        var context = state.ActivityExecutionContexts.LastOrDefault(c => c.ScheduledActivityNodeId == incident.ActivityNodeId);
        if (Values.AsText(Values.FromJson(context?.Properties["step"])) is { Length: > 0 } step)
        {
            return step;
        }

        var node = workflow.FindByActivityId(incident.ActivityId);
        return node?.Name is { Length: > 0 } name ? name : incident.ActivityId;
    }

    private static string? Text(WorkflowState state, string input) => Values.AsText(Values.FromJson(state.Input[input]));
}
