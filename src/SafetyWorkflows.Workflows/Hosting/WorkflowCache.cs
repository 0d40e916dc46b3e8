using System.Collections.Concurrent;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Hosting;

/// <summary>
/// Loaded definitions by version id. A published version never changes, so it is loaded once; a draft is replaced when
/// it is saved again (<see cref="Invalidate"/>, called by <see cref="WorkflowDefinitionService"/>).
/// </summary>
public sealed class WorkflowCache(DefinitionLoader loader)
{
    private readonly ConcurrentDictionary<string, Workflow> _byVersionId = new(StringComparer.Ordinal);

    public Workflow Get(WorkflowDefinition definition) =>
        _byVersionId.GetOrAdd(definition.Id, _ => loader.Load(definition));

    public void Invalidate(string versionId) => _byVersionId.TryRemove(versionId, out _);
}
