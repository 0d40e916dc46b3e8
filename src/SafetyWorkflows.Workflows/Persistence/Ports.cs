using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Persistence;

/// <summary>Elsa's <c>VersionOptions</c>: which version(s) of a definition a lookup selects.</summary>
public readonly record struct VersionOptions(string Kind, int? Version = null)
{
    public static readonly VersionOptions Latest = new("Latest");
    public static readonly VersionOptions Published = new("Published");
    public static readonly VersionOptions LatestOrPublished = new("LatestOrPublished");
    public static readonly VersionOptions LatestAndPublished = new("LatestAndPublished");
    public static readonly VersionOptions Draft = new("Draft");
    public static readonly VersionOptions AllVersions = new("AllVersions");

    public static VersionOptions SpecificVersion(int version) => new("Version", version);

    /// <summary>Parses Elsa's query-string forms (<c>Latest</c>, <c>Published</c>, …, or a number); null for anything else.</summary>
    public static VersionOptions? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return SpecificVersion(number);
        }

        string[] known = ["Latest", "Published", "LatestOrPublished", "LatestAndPublished", "Draft", "AllVersions"];
        return known.FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase)) is { } kind ? new VersionOptions(kind) : null;
    }

    public bool Matches(bool isLatest, bool isPublished, int version) => Kind switch
    {
        "Latest" => isLatest,
        "Published" => isPublished,
        "LatestOrPublished" => isLatest || isPublished,
        "LatestAndPublished" => isLatest && isPublished,
        "Draft" => !isPublished,
        "AllVersions" => true,
        _ => version == Version,
    };

    public override string ToString() => Kind == "Version" ? Version!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Kind;
}

/// <summary>Definition versions. Writes join the current unit of work.</summary>
public interface IWorkflowDefinitionStore
{
    /// <summary>The highest version of <paramref name="definitionId"/> that matches.</summary>
    Task<WorkflowDefinition?> FindAsync(string definitionId, VersionOptions options, CancellationToken cancellationToken);

    /// <summary>The version id of what <see cref="FindAsync"/> would find, without reading the definition itself.</summary>
    Task<string?> FindIdAsync(string definitionId, VersionOptions options, CancellationToken cancellationToken);

    Task<WorkflowDefinition?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every version of a definition, highest first.</summary>
    Task<IReadOnlyList<WorkflowDefinition>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken);

    /// <summary>Summaries of the versions matching <paramref name="options"/>, highest version first within a definition.</summary>
    Task<IReadOnlyList<WorkflowDefinitionSummary>> ListSummariesAsync(VersionOptions options, CancellationToken cancellationToken);

    /// <summary>Adds or replaces a version (by <see cref="WorkflowDefinition.Id"/>).</summary>
    Task SaveAsync(WorkflowDefinition definition, CancellationToken cancellationToken);

    Task DeleteVersionAsync(string id, CancellationToken cancellationToken);
}

/// <summary>A stored instance: its state and the row version that guards concurrent runs.</summary>
public sealed record StoredInstance(WorkflowState State, long RowVersion);

/// <summary>Instances. <see cref="SaveAsync"/> with an expected row version fails with
/// <see cref="WorkflowConcurrencyException"/> at commit if another run saved the instance first.</summary>
public interface IWorkflowInstanceStore
{
    Task<StoredInstance?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds a new instance (<paramref name="expectedRowVersion"/> null) or updates one that must still be at that version.</summary>
    Task SaveAsync(WorkflowState state, long? expectedRowVersion, CancellationToken cancellationToken);

    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>A page of instance summaries, newest first unless ordered otherwise.</summary>
    Task<(IReadOnlyList<WorkflowInstanceSummary> Items, int TotalCount)> ListAsync(InstanceQuery query, CancellationToken cancellationToken);
}

/// <summary>Elsa's <c>WorkflowDefinitionSummary</c>.</summary>
public sealed record WorkflowDefinitionSummary(
    string Id, string DefinitionId, string? Name, string? Description, int Version, bool IsLatest, bool IsPublished, DateTimeOffset CreatedAt);

/// <summary>Elsa's <c>WorkflowInstanceSummary</c>.</summary>
public sealed record WorkflowInstanceSummary(
    string Id,
    string DefinitionId,
    string DefinitionVersionId,
    int Version,
    WorkflowStatus Status,
    WorkflowSubStatus SubStatus,
    string? CorrelationId,
    string? Name,
    int IncidentCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>The filters of Elsa's instance list.</summary>
public sealed record InstanceQuery
{
    public int Page { get; init; }

    public int PageSize { get; init; } = 10;

    public string? SearchTerm { get; init; }

    public IReadOnlyCollection<string> DefinitionIds { get; init; } = [];

    public string? CorrelationId { get; init; }

    public bool? HasIncidents { get; init; }

    public IReadOnlyCollection<WorkflowStatus> Statuses { get; init; } = [];

    public IReadOnlyCollection<WorkflowSubStatus> SubStatuses { get; init; } = [];

    public bool Ascending { get; init; }
}

/// <summary>Elsa's <c>StoredBookmark</c>: the bookmark index, searchable by stimulus hash.</summary>
public sealed record StoredBookmark(
    string Id,
    string Name,
    string Hash,
    string WorkflowInstanceId,
    string ActivityInstanceId,
    string? CorrelationId,
    JsonObject? Payload,
    JsonObject? Metadata,
    DateTimeOffset CreatedAt);

/// <summary>Elsa's <c>StoredTrigger</c>: a start trigger of a published definition version.</summary>
public sealed record StoredTrigger(
    string Id,
    string WorkflowDefinitionId,
    string WorkflowDefinitionVersionId,
    string Name,
    string ActivityId,
    string Hash,
    JsonObject? Payload);

public interface IBookmarkStore
{
    Task<IReadOnlyList<StoredBookmark>> FindByHashAsync(string hash, string? correlationId, string? workflowInstanceId, CancellationToken cancellationToken);

    Task<StoredBookmark?> FindAsync(string bookmarkId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredBookmark>> ListByInstanceAsync(string workflowInstanceId, CancellationToken cancellationToken);

    /// <summary>Makes the index of one instance equal to <paramref name="bookmarks"/>.</summary>
    Task ReplaceAsync(string workflowInstanceId, IReadOnlyList<StoredBookmark> bookmarks, CancellationToken cancellationToken);
}

public interface ITriggerStore
{
    Task<IReadOnlyList<StoredTrigger>> FindByHashAsync(string hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredTrigger>> ListByDefinitionAsync(string definitionId, CancellationToken cancellationToken);

    Task<StoredTrigger?> FindAsync(string triggerId, CancellationToken cancellationToken);

    /// <summary>Every timer trigger (StartAt, Timer, Cron) of every definition, for the scheduler's sweep.</summary>
    Task<IReadOnlyList<StoredTrigger>> ListTimersAsync(CancellationToken cancellationToken);

    /// <summary>Makes the triggers of a definition (all its versions) equal to <paramref name="triggers"/>.</summary>
    Task ReplaceAsync(string definitionId, IReadOnlyList<StoredTrigger> triggers, CancellationToken cancellationToken);
}

/// <summary>The journal and the activity execution records.</summary>
public interface IWorkflowJournalStore
{
    Task AppendAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken);

    /// <summary>Adds or replaces records by id (an activity that suspended is updated when it later completes).</summary>
    Task SaveAsync(IReadOnlyCollection<ActivityExecutionRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalRecord>> ListAsync(string workflowInstanceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ActivityExecutionRecord>> ListExecutionsAsync(string workflowInstanceId, CancellationToken cancellationToken);

    Task<ActivityExecutionRecord?> FindExecutionAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Commits everything the stores were given, in one transaction.</summary>
public interface IWorkflowUnitOfWork
{
    /// <summary>Throws <see cref="WorkflowConcurrencyException"/> when an instance was saved by someone else in between.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}

public sealed class WorkflowConcurrencyException(string message, Exception? inner = null) : Exception(message, inner);
