using System.Collections.Concurrent;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Hosting;

/// <summary>Loaded definitions by version id. A version never changes once published, so the cache needs no expiry;
/// a saved draft replaces its entry.</summary>
public sealed class WorkflowCache(DefinitionLoader loader)
{
    private readonly ConcurrentDictionary<string, (string Json, Workflow Workflow)> _byVersionId = new(StringComparer.Ordinal);

    public Workflow Get(WorkflowDefinition definition)
    {
        var json = DefinitionWriter.Write(definition).ToJsonString();
        if (_byVersionId.TryGetValue(definition.Id, out var cached) && cached.Json == json)
        {
            return cached.Workflow;
        }

        var workflow = loader.Load(definition);
        _byVersionId[definition.Id] = (json, workflow);
        return workflow;
    }
}
