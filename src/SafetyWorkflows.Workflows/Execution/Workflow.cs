using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>A loaded, validated, runnable definition version.</summary>
public sealed class Workflow
{
    internal Workflow(WorkflowDefinition definition, ActivityNode root, IReadOnlyDictionary<string, ActivityNode> nodes)
    {
        Definition = definition;
        Root = root;
        NodesByNodeId = nodes;
    }

    public WorkflowDefinition Definition { get; }

    public ActivityNode Root { get; }

    public IReadOnlyDictionary<string, ActivityNode> NodesByNodeId { get; }

    public IEnumerable<ActivityNode> AllNodes => NodesByNodeId.Values;

    public ActivityNode? FindByActivityId(string activityId) => NodesByNodeId.Values.FirstOrDefault(n => n.Id == activityId);

    /// <summary>The incident strategy (<c>options.incidentStrategyType</c>, 3.7 or 3.8 spelling); Fault by default.</summary>
    public bool ContinueWithIncidents =>
        Definition.Options.IncidentStrategyType?.Contains("ContinueWithIncidents", StringComparison.Ordinal) ?? false;
}
