using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Infrastructure.Workflows;

/// <summary>The run's hot reads (instance, bookmark lookup) as EF compiled queries (issue 12).</summary>
internal static class StoreQueries
{
    public static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<WorkflowInstanceRow?>>> Instance = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string id, CancellationToken _) =>
            db.Set<WorkflowInstanceRow>().AsNoTracking().FirstOrDefault(i => i.Id == id)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<BookmarkRow?>>> Bookmark = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string id, CancellationToken _) => db.Set<BookmarkRow>().AsNoTracking().FirstOrDefault(b => b.Id == id)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, IAsyncEnumerable<BookmarkRow>>> InstanceBookmarks = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string workflowInstanceId) =>
            db.Set<BookmarkRow>().AsNoTracking().Where(b => b.WorkflowInstanceId == workflowInstanceId)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, IAsyncEnumerable<BookmarkRow>>> InstanceBookmarksTracked = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string workflowInstanceId) => db.Set<BookmarkRow>().Where(b => b.WorkflowInstanceId == workflowInstanceId)));
}

/// <summary>
/// The runtime's stores on the application's <see cref="SafetyDbContext"/>: every write joins the same unit of work,
/// so a run's state, bookmarks, journal and the domain rows written beside it commit together.
/// </summary>
internal sealed class EfWorkflowStore(SafetyDbContext db)
    : IWorkflowDefinitionStore, IWorkflowInstanceStore, IBookmarkStore, ITriggerStore, IWorkflowJournalStore, IWorkflowUnitOfWork
{
    private const int JournalPageSize = 100;

    public async Task<WorkflowDefinition?> FindAsync(string definitionId, VersionOptions options, CancellationToken cancellationToken) =>
        await FindIdAsync(definitionId, options, cancellationToken) is { } id ? await FindByIdAsync(id, cancellationToken) : null;

    public async Task<string?> FindIdAsync(string definitionId, VersionOptions options, CancellationToken cancellationToken)
    {
        var rows = await db.Set<WorkflowDefinitionRow>().AsNoTracking()
            .Where(d => d.DefinitionId == definitionId)
            .OrderByDescending(d => d.Version)
            .Select(d => new { d.Id, d.IsLatest, d.IsPublished, d.Version })
            .ToListAsync(cancellationToken);
        return rows.FirstOrDefault(r => options.Matches(r.IsLatest, r.IsPublished, r.Version))?.Id;
    }

    public async Task<WorkflowDefinition?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        var row = await db.Set<WorkflowDefinitionRow>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    public async Task<IReadOnlyList<WorkflowDefinition>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<WorkflowDefinitionRow>().AsNoTracking()
            .Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<IReadOnlyList<WorkflowDefinitionSummary>> ListSummariesAsync(VersionOptions options, CancellationToken cancellationToken)
    {
        var rows = await db.Set<WorkflowDefinitionRow>().AsNoTracking()
            .OrderBy(d => d.DefinitionId).ThenByDescending(d => d.Version)
            .Select(d => new WorkflowDefinitionSummary(d.Id, d.DefinitionId, d.Name, d.Description, d.Version, d.IsLatest, d.IsPublished, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return rows.Where(r => options.Matches(r.IsLatest, r.IsPublished, r.Version)).ToList();
    }

    public async Task SaveAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var row = await db.Set<WorkflowDefinitionRow>().FirstOrDefaultAsync(d => d.Id == definition.Id, cancellationToken);
        var json = DefinitionWriter.Write(definition).ToJsonString();
        if (row is null)
        {
            db.Set<WorkflowDefinitionRow>().Add(new WorkflowDefinitionRow
            {
                Id = definition.Id,
                DefinitionId = definition.DefinitionId,
                Version = definition.Version,
                Name = definition.Name,
                Description = definition.Description,
                IsLatest = definition.IsLatest,
                IsPublished = definition.IsPublished,
                CreatedAt = definition.CreatedAt,
                Json = json,
            });
            return;
        }

        row.Version = definition.Version;
        row.Name = definition.Name;
        row.Description = definition.Description;
        row.IsLatest = definition.IsLatest;
        row.IsPublished = definition.IsPublished;
        row.Json = json;
    }

    public async Task DeleteVersionAsync(string id, CancellationToken cancellationToken) =>
        await db.Set<WorkflowDefinitionRow>().Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);

    async Task<StoredInstance?> IWorkflowInstanceStore.FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await StoreQueries.Instance.For(db)(db, id, cancellationToken);
        return row is null ? null : new StoredInstance(WorkflowJson.Deserialize(row.StateJson), row.RowVersion);
    }

    public Task SaveAsync(WorkflowState state, long? expectedRowVersion, CancellationToken cancellationToken)
    {
        var json = WorkflowJson.Serialize(state);
        if (expectedRowVersion is null)
        {
            db.Set<WorkflowInstanceRow>().Add(new WorkflowInstanceRow
            {
                Id = state.Id,
                DefinitionId = state.DefinitionId,
                DefinitionVersionId = state.DefinitionVersionId,
                Version = state.DefinitionVersion,
                Status = state.Status.ToString(),
                SubStatus = state.SubStatus.ToString(),
                CorrelationId = state.CorrelationId,
                Name = state.Name,
                IncidentCount = state.Incidents.Count,
                CreatedAt = state.CreatedAt,
                UpdatedAt = state.UpdatedAt,
                FinishedAt = state.FinishedAt,
                StateJson = json,
                RowVersion = 1,
            });
            return Task.CompletedTask;
        }

        // The row is updated without reading it again (the caller read it, with its version, to run the workflow): it is
        // attached as it was and the UPDATE carries "WHERE RowVersion = expected", so a concurrent run, or a delete since,
        // fails the save with a concurrency error.
        var row = db.Set<WorkflowInstanceRow>().Local.FirstOrDefault(i => i.Id == state.Id);
        if (row is null)
        {
            row = new WorkflowInstanceRow
            {
                Id = state.Id,
                DefinitionId = state.DefinitionId,
                DefinitionVersionId = state.DefinitionVersionId,
                Version = state.DefinitionVersion,
                Status = "",
                SubStatus = "",
                CreatedAt = state.CreatedAt,
                StateJson = "",
                RowVersion = expectedRowVersion.Value,
            };
            db.Attach(row);
        }

        var entry = db.Entry(row);
        entry.Property(r => r.RowVersion).OriginalValue = expectedRowVersion.Value;
        row.RowVersion = expectedRowVersion.Value + 1;
        row.Status = state.Status.ToString();
        row.SubStatus = state.SubStatus.ToString();
        row.CorrelationId = state.CorrelationId;
        row.Name = state.Name;
        row.IncidentCount = state.Incidents.Count;
        row.UpdatedAt = state.UpdatedAt;
        row.FinishedAt = state.FinishedAt;
        row.StateJson = json;
        foreach (var property in UpdatedInstanceColumns)
        {
            entry.Property(property).IsModified = true;
        }

        return Task.CompletedTask;
    }

    private static readonly string[] UpdatedInstanceColumns =
    [
        nameof(WorkflowInstanceRow.RowVersion), nameof(WorkflowInstanceRow.Status), nameof(WorkflowInstanceRow.SubStatus),
        nameof(WorkflowInstanceRow.CorrelationId), nameof(WorkflowInstanceRow.Name), nameof(WorkflowInstanceRow.IncidentCount),
        nameof(WorkflowInstanceRow.UpdatedAt), nameof(WorkflowInstanceRow.FinishedAt), nameof(WorkflowInstanceRow.StateJson),
    ];

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await db.Set<BookmarkRow>().Where(b => b.WorkflowInstanceId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Set<JournalRow>().Where(j => j.WorkflowInstanceId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Set<ActivityExecutionRow>().Where(a => a.WorkflowInstanceId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowInstanceRow>().Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<WorkflowInstanceSummary> Items, int TotalCount)> ListAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        var rows = db.Set<WorkflowInstanceRow>().AsNoTracking();
        if (query.DefinitionIds.Count > 0)
        {
            rows = rows.Where(i => query.DefinitionIds.Contains(i.DefinitionId));
        }

        if (query.CorrelationId is { } correlationId)
        {
            rows = rows.Where(i => i.CorrelationId == correlationId);
        }

        if (query.HasIncidents is { } hasIncidents)
        {
            rows = rows.Where(i => (i.IncidentCount > 0) == hasIncidents);
        }

        if (query.Statuses.Count > 0)
        {
            var statuses = query.Statuses.Select(s => s.ToString()).ToList();
            rows = rows.Where(i => statuses.Contains(i.Status));
        }

        if (query.SubStatuses.Count > 0)
        {
            var subStatuses = query.SubStatuses.Select(s => s.ToString()).ToList();
            rows = rows.Where(i => subStatuses.Contains(i.SubStatus));
        }

        if (!string.IsNullOrWhiteSpace(query.SearchTerm))
        {
            var term = query.SearchTerm.Trim();
            rows = rows.Where(i => i.Id == term || i.CorrelationId == term || (i.Name != null && i.Name.Contains(term)) || i.DefinitionId.Contains(term));
        }

        var total = await rows.CountAsync(cancellationToken);
        var ordered = query.Ascending ? rows.OrderBy(i => i.UpdatedAt) : rows.OrderByDescending(i => i.UpdatedAt);
        var page = await ordered.Skip(query.Page * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return (page.Select(i => new WorkflowInstanceSummary(
            i.Id, i.DefinitionId, i.DefinitionVersionId, i.Version, Enum.Parse<WorkflowStatus>(i.Status), Enum.Parse<WorkflowSubStatus>(i.SubStatus),
            i.CorrelationId, i.Name, i.IncidentCount, i.CreatedAt, i.UpdatedAt, i.FinishedAt)).ToList(), total);
    }

    public async Task<IReadOnlyList<StoredBookmark>> FindByHashAsync(string hash, string? correlationId, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        var query = db.Set<BookmarkRow>().AsNoTracking().Where(b => b.Hash == hash);
        if (correlationId is not null)
        {
            query = query.Where(b => b.CorrelationId == correlationId);
        }

        if (workflowInstanceId is not null)
        {
            query = query.Where(b => b.WorkflowInstanceId == workflowInstanceId);
        }

        var rows = await query.OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<StoredBookmark?> FindAsync(string bookmarkId, CancellationToken cancellationToken)
    {
        var row = await StoreQueries.Bookmark.For(db)(db, bookmarkId, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    public async Task<IReadOnlyList<StoredBookmark>> ListByInstanceAsync(string workflowInstanceId, CancellationToken cancellationToken)
    {
        var rows = await StoreQueries.InstanceBookmarks.For(db)(db, workflowInstanceId).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task ReplaceAsync(string workflowInstanceId, IReadOnlyList<StoredBookmark> bookmarks, CancellationToken cancellationToken)
    {
        var existing = await StoreQueries.InstanceBookmarksTracked.For(db)(db, workflowInstanceId).ToListAsync(cancellationToken);
        var wanted = bookmarks.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        db.Set<BookmarkRow>().RemoveRange(existing.Where(b => !wanted.Contains(b.Id)));
        var have = existing.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        db.Set<BookmarkRow>().AddRange(bookmarks.Where(b => !have.Contains(b.Id)).Select(b => new BookmarkRow
        {
            Id = b.Id,
            Name = b.Name,
            Hash = b.Hash,
            WorkflowInstanceId = b.WorkflowInstanceId,
            ActivityInstanceId = b.ActivityInstanceId,
            CorrelationId = b.CorrelationId,
            PayloadJson = b.Payload?.ToJsonString(),
            MetadataJson = b.Metadata?.ToJsonString(),
            CreatedAt = b.CreatedAt,
            DueAt = WorkflowHost.BookmarkTime(b.Payload),
        }));
        foreach (var row in existing.Where(b => wanted.Contains(b.Id)))
        {
            row.CorrelationId = bookmarks.First(b => b.Id == row.Id).CorrelationId;
        }
    }

    async Task<IReadOnlyList<StoredTrigger>> ITriggerStore.FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        var rows = await db.Set<TriggerRow>().AsNoTracking().Where(t => t.Hash == hash).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<IReadOnlyList<StoredTrigger>> ListByDefinitionAsync(string definitionId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<TriggerRow>().AsNoTracking().Where(t => t.WorkflowDefinitionId == definitionId).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    async Task<StoredTrigger?> ITriggerStore.FindAsync(string triggerId, CancellationToken cancellationToken) =>
        await db.Set<TriggerRow>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == triggerId, cancellationToken) is { } row ? ToModel(row) : null;

    async Task<IReadOnlyList<StoredTrigger>> ITriggerStore.ListTimersAsync(CancellationToken cancellationToken)
    {
        string[] names = [StimulusNames.StartAt, StimulusNames.Timer, StimulusNames.Cron];
        var rows = await db.Set<TriggerRow>().AsNoTracking().Where(t => names.Contains(t.Name)).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    async Task ITriggerStore.ReplaceAsync(string definitionId, IReadOnlyList<StoredTrigger> triggers, CancellationToken cancellationToken)
    {
        db.Set<TriggerRow>().RemoveRange(await db.Set<TriggerRow>().Where(t => t.WorkflowDefinitionId == definitionId).ToListAsync(cancellationToken));
        db.Set<TriggerRow>().AddRange(triggers.Select(t => new TriggerRow
        {
            Id = t.Id,
            WorkflowDefinitionId = t.WorkflowDefinitionId,
            WorkflowDefinitionVersionId = t.WorkflowDefinitionVersionId,
            Name = t.Name,
            ActivityId = t.ActivityId,
            Hash = t.Hash,
            PayloadJson = t.Payload?.ToJsonString(),
        }));
    }

    /// <summary>
    /// A run's journal records go in as one row (a page: the records as a JSON array, the columns those of its first
    /// record), not a row each: a decision journals about seven records, and a row each was seven inserts and fourteen
    /// index entries. Rows written before pages hold one record as a JSON object; <see cref="ListAsync(string, CancellationToken)"/> reads both.
    /// </summary>
    public Task AppendAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken)
    {
        // A long run (a loop) writes several pages, so no row grows without bound.
        foreach (var page in records.Chunk(JournalPageSize))
        {
            var first = page[0];
            db.Set<JournalRow>().Add(new JournalRow
            {
                Id = first.Id,
                WorkflowInstanceId = first.WorkflowInstanceId,
                Sequence = first.Sequence,
                ActivityNodeId = first.NodeId,
                EventName = first.EventName,
                Timestamp = first.Timestamp,
                Json = JsonSerializer.Serialize(page, WorkflowJson.Options),
            });
        }

        return Task.CompletedTask;
    }

    public async Task SaveAsync(IReadOnlyCollection<ActivityExecutionRecord> records, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var existing = await db.Set<ActivityExecutionRow>().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        foreach (var record in records)
        {
            var json = JsonSerializer.Serialize(record, WorkflowJson.Options);
            if (existing.TryGetValue(record.Id, out var row))
            {
                row.Status = record.Status.ToString();
                row.Json = json;
            }
            else
            {
                db.Set<ActivityExecutionRow>().Add(new ActivityExecutionRow
                {
                    Id = record.Id,
                    WorkflowInstanceId = record.WorkflowInstanceId,
                    ActivityNodeId = record.ActivityNodeId,
                    Status = record.Status.ToString(),
                    StartedAt = record.StartedAt,
                    Json = json,
                });
            }
        }
    }

    public async Task<IReadOnlyList<JournalRecord>> ListAsync(string workflowInstanceId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<JournalRow>().AsNoTracking().Where(j => j.WorkflowInstanceId == workflowInstanceId)
            .OrderBy(j => j.Sequence).Select(j => j.Json).ToListAsync(cancellationToken);
        return rows.SelectMany(json => json.StartsWith('[')
                ? JsonSerializer.Deserialize<List<JournalRecord>>(json, WorkflowJson.Options)!
                : [JsonSerializer.Deserialize<JournalRecord>(json, WorkflowJson.Options)!])
            .OrderBy(r => r.Sequence).ToList();
    }

    public async Task<IReadOnlyList<ActivityExecutionRecord>> ListExecutionsAsync(string workflowInstanceId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<ActivityExecutionRow>().AsNoTracking().Where(a => a.WorkflowInstanceId == workflowInstanceId)
            .OrderBy(a => a.StartedAt).Select(a => a.Json).ToListAsync(cancellationToken);
        return rows.Select(json => JsonSerializer.Deserialize<ActivityExecutionRecord>(json, WorkflowJson.Options)!).ToList();
    }

    public async Task<ActivityExecutionRecord?> FindExecutionAsync(string id, CancellationToken cancellationToken)
    {
        var json = await db.Set<ActivityExecutionRow>().AsNoTracking().Where(a => a.Id == id).Select(a => a.Json).FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize<ActivityExecutionRecord>(json, WorkflowJson.Options);
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            db.ChangeTracker.Clear();
            throw new WorkflowConcurrencyException("a workflow instance was saved by another run first", ex);
        }
    }

    private static WorkflowDefinition ToModel(WorkflowDefinitionRow row)
    {
        var definition = DefinitionReader.Parse(row.Json, $"'{row.DefinitionId}' version {row.Version}");
        return definition with { IsLatest = row.IsLatest, IsPublished = row.IsPublished, Version = row.Version };
    }

    private static StoredBookmark ToModel(BookmarkRow row) => new(
        row.Id, row.Name, row.Hash, row.WorkflowInstanceId, row.ActivityInstanceId, row.CorrelationId,
        Parse(row.PayloadJson), Parse(row.MetadataJson), row.CreatedAt);

    private static StoredTrigger ToModel(TriggerRow row) => new(
        row.Id, row.WorkflowDefinitionId, row.WorkflowDefinitionVersionId, row.Name, row.ActivityId, row.Hash, Parse(row.PayloadJson));

    private static JsonObject? Parse(string? json) => json is null ? null : JsonNode.Parse(json) as JsonObject;
}
