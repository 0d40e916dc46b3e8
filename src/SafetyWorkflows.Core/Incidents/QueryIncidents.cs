using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Core.Incidents;

/// <summary>The open incidents: everywhere (the administrators' clocks page), of one document, or of one instance.</summary>
public sealed class QueryIncidents(
    IWorkflowInstanceStore instances, IWorkflowDefinitionStore definitions, WorkflowCache cache, IApprovalTaskRepository tasks)
{
    private static readonly WorkflowSubStatus[] Stopped = [WorkflowSubStatus.Faulted, WorkflowSubStatus.Suspended];

    public async Task<IReadOnlyList<OpenIncident>> ListOpenAsync(int take, CancellationToken cancellationToken) =>
        await OfAsync(new InstanceQuery { HasIncidents = true, SubStatuses = Stopped, PageSize = take }, cancellationToken);

    public async Task<IReadOnlyList<OpenIncident>> ForDocumentAsync(Guid documentId, CancellationToken cancellationToken)
    {
        // A document's chain carries the document id as its correlation id (see SubmitDocument).
        var query = new InstanceQuery { HasIncidents = true, SubStatuses = Stopped, CorrelationId = documentId.ToString(), PageSize = 50 };
        return await OfAsync(query, cancellationToken);
    }

    public async Task<IReadOnlyList<OpenIncident>> ForInstanceAsync(string workflowInstanceId, CancellationToken cancellationToken) =>
        await instances.FindAsync(workflowInstanceId, cancellationToken) is { } stored
            ? await OfAsync(stored.State, cancellationToken)
            : [];

    private async Task<IReadOnlyList<OpenIncident>> OfAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        var (summaries, _) = await instances.ListAsync(query, cancellationToken);
        var result = new List<OpenIncident>();
        foreach (var summary in summaries)
        {
            if (await instances.FindAsync(summary.Id, cancellationToken) is { } stored)
            {
                result.AddRange(await OfAsync(stored.State, cancellationToken));
            }
        }

        return result;
    }

    private async Task<IReadOnlyList<OpenIncident>> OfAsync(WorkflowState state, CancellationToken cancellationToken)
    {
        if (!IncidentFacts.IsStopped(state))
        {
            return [];
        }

        // The 流程异常 tasks say who was told; the definition gives each step its name as officials read it.
        var handling = await tasks.ListOpenForInstanceAsync(state.Id, TaskKind.Incident, cancellationToken);
        var notified = handling.Select(t => t.Assignee).Distinct(StringComparer.Ordinal).ToList();
        var definition = await definitions.FindByIdAsync(state.DefinitionVersionId, cancellationToken);
        var workflow = definition is null ? null : cache.Get(definition);
        return state.Incidents.Select(incident =>
        {
            var step = workflow is null ? incident.ActivityId : IncidentFacts.Step(workflow, state, incident);
            return new OpenIncident(
                incident.Id, state.Id, state.DefinitionId, incident.ActivityId, incident.ActivityType, step, incident.Message,
                IncidentWords.Describe(step, incident.Message), IncidentWords.IsBudget(incident), incident.Timestamp,
                IncidentFacts.DocumentId(state), IncidentFacts.Title(state), notified);
        }).ToList();
    }
}
