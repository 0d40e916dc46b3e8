namespace SafetyWorkflows.Infrastructure.Workflows;

/// <summary>One stored definition version: indexed columns plus the definition JSON as Elsa writes it.</summary>
public sealed class WorkflowDefinitionRow
{
    public required string Id { get; set; }

    public required string DefinitionId { get; set; }

    public int Version { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public bool IsLatest { get; set; }

    public bool IsPublished { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string Json { get; set; }

    /// <summary>For versions imported from <c>workflows/*.json</c>: the file and the SHA-256 of its content.</summary>
    public string? SourceFile { get; set; }

    public string? SourceHash { get; set; }
}

/// <summary>One instance: summary columns for lists plus the whole state JSON; <see cref="RowVersion"/> guards concurrent runs.</summary>
public sealed class WorkflowInstanceRow
{
    public required string Id { get; set; }

    public required string DefinitionId { get; set; }

    public required string DefinitionVersionId { get; set; }

    public int Version { get; set; }

    public required string Status { get; set; }

    public required string SubStatus { get; set; }

    public string? CorrelationId { get; set; }

    public string? Name { get; set; }

    public int IncidentCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public required string StateJson { get; set; }

    public long RowVersion { get; set; }
}

public sealed class BookmarkRow
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Hash { get; set; }

    public required string WorkflowInstanceId { get; set; }

    public required string ActivityInstanceId { get; set; }

    public string? CorrelationId { get; set; }

    public string? PayloadJson { get; set; }

    public string? MetadataJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a timer bookmark is due (its payload's <c>ResumeAt</c>/<c>ExecuteAt</c>); null for other bookmarks.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>When the outbox pump handed this due timer to a Hangfire job; null until then.</summary>
    public DateTimeOffset? HandedOffAt { get; set; }
}

public sealed class TriggerRow
{
    public required string Id { get; set; }

    public required string WorkflowDefinitionId { get; set; }

    public required string WorkflowDefinitionVersionId { get; set; }

    public required string Name { get; set; }

    public required string ActivityId { get; set; }

    public required string Hash { get; set; }

    public string? PayloadJson { get; set; }
}

/// <summary>
/// The journal records of one run (a page: a JSON array; rows from before pages hold one record as an object). The
/// columns are those of the page's first record: the instance and the sequence order the pages.
/// </summary>
public sealed class JournalRow
{
    public required string Id { get; set; }

    public required string WorkflowInstanceId { get; set; }

    public long Sequence { get; set; }

    public required string ActivityNodeId { get; set; }

    public string? EventName { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public required string Json { get; set; }
}

public sealed class ActivityExecutionRow
{
    public required string Id { get; set; }

    public required string WorkflowInstanceId { get; set; }

    public required string ActivityNodeId { get; set; }

    public required string Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public required string Json { get; set; }
}

public static class BookmarkRowQueries
{
    /// <summary>Timer bookmarks: those with a due time (<c>ResumeAt</c> or <c>ExecuteAt</c> in their payload).</summary>
    public static IQueryable<BookmarkRow> Timers(this IQueryable<BookmarkRow> bookmarks) => bookmarks.Where(b => b.DueAt != null);
}
