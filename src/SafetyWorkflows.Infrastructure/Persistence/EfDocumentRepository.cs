using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfDocumentRepository(SafetyDbContext db) : IDocumentRepository
{
    public Task<Document?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Documents.Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);

    public void Add(Document document) => db.Documents.Add(document);

    public async Task<PagedResult<Document>> ListAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        var documents = Filtered(query);
        var total = await documents.CountAsync(cancellationToken);
        var page = await Ordered(documents, query.Sort)
            .Skip(query.Paging.Skip)
            .Take(query.Paging.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<Document>(page, total, query.Paging.Page, query.Paging.PageSize);
    }

    public IAsyncEnumerable<Document> StreamAsync(DocumentQuery query, CancellationToken cancellationToken) =>
        Ordered(Filtered(query), query.Sort).AsAsyncEnumerable();

    private IQueryable<Document> Filtered(DocumentQuery query)
    {
        var documents = db.Documents.AsNoTracking().Where(d => d.LibraryKey == query.LibraryKey);
        if (!query.VisibleToAll)
        {
            documents = documents.Where(d => d.UnitId == query.VisibleUnitId);
        }

        if (query.Status is { } status)
        {
            documents = documents.Where(d => d.Status == status);
        }

        if (query.Stage is { } stage)
        {
            var meaning = Enum.GetValues<DocumentStatus>().Where(s => DocumentStages.FromStatus(query.LibraryKey, s) == stage).ToList();
            documents = documents.Where(d => d.Stage == stage || (d.Stage == null && meaning.Contains(d.Status)));
        }

        if (query.UnitId is { } unitId)
        {
            documents = documents.Where(d => d.UnitId == unitId);
        }

        if (query.Text is { } text)
        {
            var pattern = LikePattern(text);
            // SQLite's LIKE ignores ASCII case; PostgreSQL's does not, so it searches with ILIKE to find the same documents.
            documents = db.Database.IsNpgsql()
                ? documents.Where(d => EF.Functions.ILike(d.Title, pattern, "\\") || EF.Functions.ILike(d.MetadataJson, pattern, "\\"))
                : documents.Where(d => EF.Functions.Like(d.Title, pattern, "\\") || EF.Functions.Like(d.MetadataJson, pattern, "\\"));
        }

        foreach (var filter in query.Fields)
        {
            documents = documents.Where(FieldMatches(filter));
        }

        if (query.OverdueAt is { } now)
        {
            documents = documents.Where(d => db.Set<ApprovalTask>().Any(t =>
                t.DocumentId == d.Id && t.Status == ApprovalTaskStatus.Open && t.DueAt != null && t.DueAt < now));
        }

        if (query.InvolvedUser is { } user)
        {
            documents = documents.Where(d => d.CreatedBy == user
                || db.Set<ApprovalTask>().Any(t => t.DocumentId == d.Id && (t.Assignee == user || t.DecidedBy == user || t.SubmittedBy == user)));
        }

        return documents;
    }

    private System.Linq.Expressions.Expression<Func<Document, bool>> FieldMatches(FieldFilter filter)
    {
        var key = filter.Key;
        var fields = db.DocumentFields.Where(f => f.Key == key);
        switch (filter.Match)
        {
            case FieldMatch.Equals:
                var value = filter.Value!.Length > DocumentField.SortTextLength ? filter.Value[..DocumentField.SortTextLength] : filter.Value;
                return d => fields.Any(f => f.DocumentId == d.Id && f.SortText == value);
            case FieldMatch.Contains:
                var pattern = LikePattern(filter.Value!);
                return db.Database.IsNpgsql()
                    ? d => fields.Any(f => f.DocumentId == d.Id && EF.Functions.ILike(f.Text!, pattern, "\\"))
                    : d => fields.Any(f => f.DocumentId == d.Id && EF.Functions.Like(f.Text!, pattern, "\\"));
            default:
                if (filter.Numeric)
                {
                    double? low = filter.From is null ? null : double.Parse(filter.From, CultureInfo.InvariantCulture);
                    double? high = filter.To is null ? null : double.Parse(filter.To, CultureInfo.InvariantCulture);
                    return d => fields.Any(f => f.DocumentId == d.Id && f.Number != null
                        && (low == null || f.Number >= low) && (high == null || f.Number <= high));
                }

                var from = filter.From;
                var to = filter.To;
                // Dates are yyyy-MM-dd: their text order is their time order.
                return d => fields.Any(f => f.DocumentId == d.Id && f.SortText != null
                    && (from == null || string.Compare(f.SortText, from) >= 0) && (to == null || string.Compare(f.SortText, to) <= 0));
        }
    }

    private IOrderedQueryable<Document> Ordered(IQueryable<Document> documents, DocumentSort sort)
    {
        IOrderedQueryable<Document> ordered;
        switch (sort.Source)
        {
            case SortSource.Field when sort.Numeric:
            {
                var key = sort.FieldKey!;
                System.Linq.Expressions.Expression<Func<Document, double?>> by = d =>
                    db.DocumentFields.Where(f => f.DocumentId == d.Id && f.Key == key).Select(f => f.Number).FirstOrDefault();
                ordered = sort.Descending ? documents.OrderByDescending(by) : documents.OrderBy(by);
                break;
            }

            case SortSource.Field:
            {
                var key = sort.FieldKey!;
                System.Linq.Expressions.Expression<Func<Document, string?>> by = d =>
                    db.DocumentFields.Where(f => f.DocumentId == d.Id && f.Key == key).Select(f => f.SortText).FirstOrDefault();
                ordered = sort.Descending ? documents.OrderByDescending(by) : documents.OrderBy(by);
                break;
            }

            case SortSource.Title:
                ordered = sort.Descending ? documents.OrderByDescending(d => d.Title) : documents.OrderBy(d => d.Title);
                break;
            case SortSource.Status:
                ordered = sort.Descending
                    ? documents.OrderByDescending(d => d.Stage).ThenByDescending(d => d.Status)
                    : documents.OrderBy(d => d.Stage).ThenBy(d => d.Status);
                break;
            case SortSource.Unit:
                ordered = sort.Descending ? documents.OrderByDescending(d => d.UnitId) : documents.OrderBy(d => d.UnitId);
                break;
            case SortSource.CreatedAt:
                ordered = sort.Descending ? documents.OrderByDescending(d => d.CreatedAt) : documents.OrderBy(d => d.CreatedAt);
                break;
            default:
                ordered = sort.Descending ? documents.OrderByDescending(d => d.UpdatedAt) : documents.OrderBy(d => d.UpdatedAt);
                break;
        }

        return sort.Source is SortSource.UpdatedAt ? ordered.ThenBy(d => d.Id) : ordered.ThenByDescending(d => d.UpdatedAt).ThenBy(d => d.Id);
    }

    private static string LikePattern(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    public async Task<IReadOnlyDictionary<Guid, DocumentHeader>> HeadersAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        var rows = await db.Documents.AsNoTracking().Where(d => wanted.Contains(d.Id))
            .Select(d => new DocumentHeader(d.Id, d.Title, d.LibraryKey, d.UnitId)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id);
    }

    public async Task<IReadOnlyList<Document>> ListRevisionsAsync(Guid id, CancellationToken cancellationToken)
    {
        var revisions = await db.Documents.AsNoTracking().Where(d => d.RevisionOfId == id).ToListAsync(cancellationToken);
        return revisions.OrderBy(d => d.CreatedAt).ToList();
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("文档已被他人修改，请刷新后重试 (the document was changed by someone else; reload and try again).");
        }
    }
}
