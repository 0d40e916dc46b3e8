using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Workflows.Hosting;

/// <summary>
/// Definition versions with Elsa's semantics: saving edits the latest draft or, when the latest is published, starts a
/// new draft version; publishing validates, moves the latest and published flags and indexes triggers; retracting
/// stops the published version. A definition that cannot run may be saved as a draft but never published.
/// </summary>
public sealed class WorkflowDefinitionService(
    IWorkflowDefinitionStore store,
    IWorkflowUnitOfWork unitOfWork,
    DefinitionLoader loader,
    WorkflowHost host,
    WorkflowCache cache,
    TimeProvider clock)
{
    /// <summary>Saves <paramref name="model"/> as the latest draft of its definition and returns the stored version.</summary>
    public async Task<WorkflowDefinition> SaveDraftAsync(WorkflowDefinition model, CancellationToken cancellationToken)
    {
        var latest = await store.FindAsync(model.DefinitionId, VersionOptions.Latest, cancellationToken);
        WorkflowDefinition draft;
        if (latest is null)
        {
            draft = model with { Version = 1, IsLatest = true, IsPublished = false, CreatedAt = clock.GetUtcNow() };
        }
        else if (!latest.IsPublished)
        {
            draft = model with { Id = latest.Id, Version = latest.Version, IsLatest = true, IsPublished = false, CreatedAt = latest.CreatedAt };
        }
        else
        {
            var versions = await store.ListVersionsAsync(model.DefinitionId, cancellationToken);
            await store.SaveAsync(latest with { IsLatest = false }, cancellationToken);
            draft = model with
            {
                Id = DefinitionReader.NewId(),
                Version = versions.Max(v => v.Version) + 1,
                IsLatest = true,
                IsPublished = false,
                CreatedAt = clock.GetUtcNow(),
            };
        }

        await store.SaveAsync(draft, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        cache.Invalidate(draft.Id);
        return draft;
    }

    /// <summary>Publishes the latest version (after saving <paramref name="model"/> as it, when given).
    /// Throws <see cref="DefinitionException"/> when the definition cannot run; nothing changes then.</summary>
    public async Task<WorkflowDefinition> PublishAsync(string definitionId, WorkflowDefinition? model, CancellationToken cancellationToken)
    {
        if (model is not null)
        {
            await CheckWorkflowActivitiesAsync(loader.Load(model with { DefinitionId = definitionId }), cancellationToken);
        }

        var latest = model is null
            ? await store.FindAsync(definitionId, VersionOptions.Latest, cancellationToken) ?? throw new WorkflowNotFoundException($"workflow definition '{definitionId}' not found")
            : await SaveDraftAsync(model, cancellationToken);
        await CheckWorkflowActivitiesAsync(loader.Load(latest), cancellationToken);
        foreach (var version in await store.ListVersionsAsync(definitionId, cancellationToken))
        {
            if (version.Id != latest.Id && (version.IsLatest || version.IsPublished))
            {
                await store.SaveAsync(version with { IsLatest = false, IsPublished = false }, cancellationToken);
            }
        }

        var published = latest with { IsLatest = true, IsPublished = true };
        await store.SaveAsync(published, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await host.IndexTriggersAsync(published, cancellationToken);
        return published;
    }

    /// <summary>
    /// A workflow used as an activity must name a definition that exists, and not the definition itself (it would start
    /// itself without end). Elsa fails the same way when it builds the graph (WorkflowDefinitionActivity.InitializeAsync:
    /// "Could not find workflow definition"); here the refusal is a definition error naming the node.
    /// </summary>
    private async Task CheckWorkflowActivitiesAsync(Execution.Workflow workflow, CancellationToken cancellationToken)
    {
        var errors = new List<DefinitionError>();
        foreach (var node in workflow.AllNodes.Where(n => n.Behaviour is Activities.WorkflowDefinitionActivity))
        {
            var childId = node.Json.GetString("workflowDefinitionId")!;
            if (childId == workflow.Definition.DefinitionId)
            {
                errors.Add(new DefinitionError(node.Id, $"the workflow '{node.Type}' runs itself as an activity"));
            }
            else if (await store.FindAsync(childId, VersionOptions.Latest, cancellationToken) is null)
            {
                errors.Add(new DefinitionError(node.Id, $"the workflow '{childId}' used as activity '{node.Type}' does not exist"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DefinitionException($"'{workflow.Definition.DefinitionId}'", errors);
        }
    }

    /// <summary>Retracts the published version: it stays, but new instances and triggers no longer use it.</summary>
    public async Task<WorkflowDefinition> RetractAsync(string definitionId, CancellationToken cancellationToken)
    {
        var published = await store.FindAsync(definitionId, VersionOptions.Published, cancellationToken)
            ?? throw new WorkflowNotFoundException($"workflow definition '{definitionId}' has no published version");
        var retracted = published with { IsPublished = false };
        await store.SaveAsync(retracted, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await host.IndexTriggersAsync(retracted, cancellationToken);
        return retracted;
    }

    /// <summary>Deletes every version of a definition and its triggers; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string definitionId, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        if (versions.Count == 0)
        {
            return false;
        }

        foreach (var version in versions)
        {
            await store.DeleteVersionAsync(version.Id, cancellationToken);
            cache.Invalidate(version.Id);
        }

        await host.IndexTriggersAsync(versions[0] with { IsPublished = false }, cancellationToken);
        return true;
    }

    /// <summary>Deletes one version; if it was the latest, the highest remaining version becomes latest.</summary>
    public async Task<bool> DeleteVersionAsync(string id, CancellationToken cancellationToken)
    {
        var version = await store.FindByIdAsync(id, cancellationToken);
        if (version is null)
        {
            return false;
        }

        await store.DeleteVersionAsync(id, cancellationToken);
        cache.Invalidate(id);
        var remaining = (await store.ListVersionsAsync(version.DefinitionId, cancellationToken)).Where(v => v.Id != id).ToList();
        if (version.IsLatest && remaining.Count > 0)
        {
            await store.SaveAsync(remaining[0] with { IsLatest = true }, cancellationToken);
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        if (version.IsPublished)
        {
            await host.IndexTriggersAsync(version with { IsPublished = false }, cancellationToken);
        }

        return true;
    }

    /// <summary>Copies an older version into a new latest draft (Elsa's revert).</summary>
    public async Task<WorkflowDefinition> RevertAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        var old = await store.FindAsync(definitionId, VersionOptions.SpecificVersion(version), cancellationToken)
            ?? throw new WorkflowNotFoundException($"workflow definition '{definitionId}' has no version {version}");
        return await SaveDraftAsync(old, cancellationToken);
    }

    /// <summary>
    /// Imports a definition file (one of <c>workflows/*.json</c>): a new definition becomes version 1, published; a
    /// changed one becomes a new published version; an unchanged one changes nothing. A broken file throws
    /// <see cref="DefinitionException"/> naming the file, activity and reason, before anything is stored. Unconditional
    /// cycles (see <see cref="FlowCycles"/>) come back as warnings for the caller to report.
    /// </summary>
    public async Task<ImportResult> ImportFileAsync(string path, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);
        var model = DefinitionReader.Parse(await File.ReadAllTextAsync(path, cancellationToken), fileName);
        var cycles = FlowCycles.FindUnconditional(loader.Load(model, fileName));
        var published = await store.FindAsync(model.DefinitionId, VersionOptions.Published, cancellationToken);
        if (published is not null && System.Text.Json.Nodes.JsonNode.DeepEquals(Comparable(published), Comparable(model)))
        {
            return new ImportResult(ImportOutcome.Unchanged, cycles);
        }

        var latest = await store.FindAsync(model.DefinitionId, VersionOptions.Latest, cancellationToken);
        await PublishAsync(model.DefinitionId, model with { Id = latest is null ? model.Id : DefinitionReader.NewId() }, cancellationToken);
        return new ImportResult(published is null ? ImportOutcome.Created : ImportOutcome.NewVersion, cycles);
    }

    /// <summary>The definition's content without its version bookkeeping, for "did the file change?".</summary>
    private static System.Text.Json.Nodes.JsonObject Comparable(WorkflowDefinition definition) =>
        DefinitionWriter.Write(definition with
        {
            Id = "",
            Version = 0,
            IsLatest = false,
            IsPublished = false,
            CreatedAt = DateTimeOffset.UnixEpoch,
        });
}

/// <summary>What importing a definition file did, and the unconditional cycles it has (warnings, not errors).</summary>
public sealed record ImportResult(ImportOutcome Outcome, IReadOnlyList<FlowCycle> Cycles);

public enum ImportOutcome
{
    Unchanged,
    Created,
    NewVersion,
}
