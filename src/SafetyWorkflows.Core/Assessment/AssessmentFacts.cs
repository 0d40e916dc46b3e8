using System.Globalization;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Assessment;

/// <summary>One document the assessment reads: its library, unit, status and metadata (never the whole aggregate).</summary>
public sealed record RecordFact(
    Guid Id, string LibraryKey, string Title, string UnitId, DocumentStatus Status, string? Stage, string MetadataJson, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    private JsonObject? _metadata;

    public JsonObject Metadata => _metadata ??= JsonNode.Parse(MetadataJson) as JsonObject ?? [];

    /// <summary>On record: it left Draft and was neither rejected nor archived.</summary>
    public bool OnRecord => Status is not (DocumentStatus.Draft or DocumentStatus.Rejected or DocumentStatus.Archived);

    public string? Text(string key) => Metadata[key] is JsonValue value
        ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
        : null;

    public int? Integer(string key) => Metadata[key] is JsonValue value && value.TryGetValue<int>(out var number) ? number
        : int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    public DateOnly? Date(string key) =>
        Text(key) is { Length: >= 10 } text && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    public bool YesNo(string key) => Metadata[key] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : Documents.YesNo.TryParse(Text(key) ?? "") == true;
}

/// <summary>A task the assessment reads: signing steps of letters, quarterly statistics submissions, accident report steps.</summary>
public sealed record TaskFact(
    Guid Id, Guid? DocumentId, string WorkflowInstanceId, string ActivityId, TaskKind Kind, string Assignee, ApprovalTaskStatus Status, string? Outcome,
    DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? ClosedAt);

/// <summary>The reads of the assessment, as EF projections in Infrastructure.</summary>
public interface IAssessmentSource
{
    /// <summary>Every document of these libraries that is not archived (drafts included: a drafted letter is an unsigned one).</summary>
    Task<IReadOnlyList<RecordFact>> DocumentsAsync(IReadOnlyCollection<string> libraries, CancellationToken cancellationToken);

    /// <summary>Signature tasks of letters, the year's statistics submissions and accident report steps.</summary>
    Task<IReadOnlyList<TaskFact>> TasksAsync(IReadOnlyCollection<string> statisticsInstances, CancellationToken cancellationToken);
}

/// <summary>The columns and step ids of the year's libraries (<c>seeds/libraries.json</c>, <c>workflows/*.json</c>) the assessment reads.</summary>
public static class RecordColumns
{
    public const string LetterYear = "year";
    public const string LetterKind = "counterpartyKind";
    public const string DrillDate = "drillDate";
    public const string DrillPlanType = "planType";
    public const string MeetingDate = "meetingDate";
    public const string MeetingKind = "meetingKind";
    public const string UnitsPresent = "unitsPresent";
    public const string OccurredOn = "occurredOn";
    public const string OccurredTime = "occurredTime";
    public const string Severity = "severity";
    public const string Concealed = "concealed";
    public const string ReportStep = "report";
    public const string PlanType = "planType";
    public const string OnSitePlan = "现场处置方案";

    /// <summary>The instance ids the quarterly statistics clock gives the year's four quarters.</summary>
    public static IReadOnlyList<string> StatisticsInstances(int year) =>
        [.. Enumerable.Range(1, 4).Select(q => $"hazard-statistics-{year.ToString(CultureInfo.InvariantCulture)}Q{q}")];
}
