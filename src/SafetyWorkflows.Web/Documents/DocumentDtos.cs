using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Web.Documents;

public sealed record ColumnDto(string Key, string Name, string NameEn, string Type, bool Required, IReadOnlyList<string>? Options);

public sealed record LibraryDto(string Key, string Name, string NameEn, string UnitColumn, IReadOnlyList<ColumnDto> Columns);

public sealed record VersionDto(string Version, string FileName, string ContentType, long Length, string Sha256, string? Comment, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record DocumentDto(
    Guid Id,
    string Library,
    string Title,
    string Version,
    string Status,
    JsonObject Metadata,
    string UnitId,
    string? CheckedOutBy,
    DateTimeOffset? CheckedOutAt,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Locked,
    Guid? RevisionOf);

public sealed record DocumentListDto(IReadOnlyList<DocumentDto> Items, int TotalCount, int Page, int PageSize);

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, Guid? DocumentId, string? Version, string Summary, string Hash, string PreviousHash);

public sealed record AuditVerifyDto(bool Ok, long Entries, long? FirstBrokenEntryId, string? Reason);

public static class DocumentMappings
{
    public static LibraryDto ToDto(this Library library) => new(
        library.Key, library.Name, library.NameEn, library.UnitColumn,
        library.Columns.Select(c => new ColumnDto(c.Key, c.Name, c.NameEn, c.Type.ToString().ToLowerInvariant(), c.Required, c.Options)).ToList());

    public static DocumentDto ToDto(this Document d) => new(
        d.Id, d.LibraryKey, d.Title, d.CurrentVersion.ToString(), d.Status.ToString(),
        JsonNode.Parse(d.MetadataJson)!.AsObject(), d.UnitId, d.CheckedOutBy, d.CheckedOutAt, d.CreatedBy, d.CreatedAt, d.UpdatedAt,
        d.IsLocked, d.RevisionOfId);

    public static VersionDto ToDto(this DocumentVersion v) => new(
        v.Number.ToString(), v.FileName, v.ContentType, v.Length, v.ContentHash, v.Comment, v.CreatedBy, v.CreatedAt);

    public static DocumentListDto ToDto(this PagedResult<Document> page) =>
        new(page.Items.Select(d => d.ToDto()).ToList(), page.TotalCount, page.Page, page.PageSize);

    public static AuditEntryDto ToDto(this AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.DocumentId, e.Version, e.Summary, e.Hash, e.PreviousHash);
}
