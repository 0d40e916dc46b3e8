using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Documents;

public sealed record ColumnDto(string Key, string Name, string NameEn, string Type, bool Required, IReadOnlyList<string>? Options, bool Hidden, int? MaxLength);

public sealed record LibraryDto(string Key, string Name, string NameEn, string UnitColumn, IReadOnlyList<ColumnDto> Columns, string ChainId);

public sealed record VersionDto(string Version, string FileName, string ContentType, long Length, string Sha256, string? Comment, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// A document. <c>Status</c> is the library's stage as a stable key (<see cref="DocumentStages"/>, listed in the README),
/// <c>StatusLabel</c> its words in the request's language, <c>Overdue</c> (逾期) whether an open task of it is past its
/// deadline, and <c>GenericStatus</c> the state machine's own status (Draft, Pending, Approved …) for administrators.
/// </summary>
public sealed record DocumentDto(
    Guid Id,
    string Library,
    string Title,
    string Version,
    string Status,
    string StatusLabel,
    bool Overdue,
    string GenericStatus,
    JsonObject Metadata,
    string UnitId,
    string? CheckedOutBy,
    DateTimeOffset? CheckedOutAt,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Locked,
    Guid? RevisionOf)
{
    /// <summary>流程异常: the incidents that stopped the document's workflow and wait for a retry (empty while all is well).</summary>
    public IReadOnlyList<Incidents.IncidentDto> Incidents { get; init; } = [];
}

public sealed record DocumentListDto(IReadOnlyList<DocumentDto> Items, int TotalCount, int Page, int PageSize);

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, Guid? DocumentId, string? Version, string Summary, string Hash, string PreviousHash);

public sealed record AuditVerifyDto(bool Ok, long Entries, long? FirstBrokenEntryId, string? Reason);

public static class DocumentMappings
{
    public static LibraryDto ToDto(this Library library) => new(
        library.Key, library.Name, library.NameEn, library.UnitColumn,
        library.Columns.Select(c => new ColumnDto(c.Key, c.Name, c.NameEn, ColumnTypeConverter.Word(c.Type), c.Required, c.Options, c.Hidden,
            c.Type == ColumnType.Text ? c.MaxLength : null)).ToList(),
        library.ChainId);

    /// <summary>The document as the API shows it; <paramref name="overdue"/> comes from its tasks (<see cref="OverdueAsync"/>).</summary>
    public static DocumentDto ToDto(this Document d, bool overdue = false)
    {
        var stage = DocumentStages.Of(d);
        return new(
            d.Id, d.LibraryKey, d.Title, d.CurrentVersion.ToString(), stage, StageLabel(stage), overdue, d.Status.ToString(),
            JsonNode.Parse(d.MetadataJson)!.AsObject(), d.UnitId, d.CheckedOutBy, d.CheckedOutAt, d.CreatedBy, d.CreatedAt, d.UpdatedAt,
            d.IsLocked, d.RevisionOfId);
    }

    /// <summary>A stage key in the request's language (草稿, 整改中 … / Draft, Being rectified …).</summary>
    public static string StageLabel(string stage) => UiText.Get("Stage." + stage);

    /// <summary>Which of the documents are 逾期 now: one open task past its deadline is enough.</summary>
    public static Task<IReadOnlySet<Guid>> OverdueAsync(
        this IApprovalTaskRepository tasks, IEnumerable<Guid> documentIds, TimeProvider clock, CancellationToken cancellationToken) =>
        tasks.OverdueDocumentsAsync(documentIds.Distinct().ToList(), clock.GetUtcNow(), cancellationToken);

    public static VersionDto ToDto(this DocumentVersion v) => new(
        v.Number.ToString(), v.FileName, v.ContentType, v.Length, v.ContentHash, v.Comment, v.CreatedBy, v.CreatedAt);

    public static DocumentListDto ToDto(this PagedResult<Document> page, IReadOnlySet<Guid> overdue) =>
        new(page.Items.Select(d => d.ToDto(overdue.Contains(d.Id))).ToList(), page.TotalCount, page.Page, page.PageSize);

    public static AuditEntryDto ToDto(this AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.DocumentId, e.Version, e.Summary, e.Hash, e.PreviousHash);
}
