using System.Collections.Concurrent;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Hosting;

/// <summary>
/// Loaded definitions by version id. A published version never changes (an edit after publishing makes a new version),
/// so it is loaded once and a running instance finds it here without reading the store; a draft is replaced when it is
/// saved again (<see cref="Invalidate"/>, called by <see cref="WorkflowDefinitionService"/>) and read from the store.
/// </summary>
public sealed class WorkflowCache(DefinitionLoader loader)
{
    private readonly ConcurrentDictionary<string, Workflow> _byVersionId = new(StringComparer.Ordinal);

    /// <summary>The loaded <paramref name="definition"/>; loaded again when it was cached as a draft and is published now.</summary>
    public Workflow Get(WorkflowDefinition definition)
    {
        if (_byVersionId.TryGetValue(definition.Id, out var cached) && cached.Definition.IsPublished == definition.IsPublished)
        {
            return cached;
        }

        var loaded = loader.Load(definition);
        _byVersionId[definition.Id] = loaded;
        return loaded;
    }

    /// <summary>A version that was published when it was loaded (so it cannot have changed since), without the store.</summary>
    public bool TryGetPublished(string versionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Workflow? workflow) =>
        _byVersionId.TryGetValue(versionId, out workflow) && workflow.Definition.IsPublished;

    public void Invalidate(string versionId) => _byVersionId.TryRemove(versionId, out _);
}
