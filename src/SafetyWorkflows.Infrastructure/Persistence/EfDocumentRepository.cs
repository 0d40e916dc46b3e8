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

    public async Task<IReadOnlyList<Document>> ListOfUnitAsync(string libraryKey, string unitId, DocumentStatus status, CancellationToken cancellationToken) =>
        await db.Documents.Include(d => d.Versions).Where(d => d.LibraryKey == libraryKey && d.UnitId == unitId && d.Status == status).ToListAsync(cancellationToken);

    public async Task<PagedResult<Document>> ListAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        var documents = Filtered(query);
        var total = await documents.CountAsync(cancellationToken);
        var page = query.Sort.Source == SortSource.Field
            ? await FieldSortedPageAsync(documents, query.Sort, query.Paging, cancellationToken)
            : await Ordered(documents, query.Sort).Skip(query.Paging.Skip).Take(query.Paging.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<Document>(page, total, query.Paging.Page, query.Paging.PageSize);
    }

    /// <summary>
    /// A page sorted by a metadata column, read in the order of that column's index (so a page costs the rows it shows, not a
    /// sort of the whole library); documents without a value for the column come after those with one, newest first.
    /// </summary>
    private async Task<List<Document>> FieldSortedPageAsync(IQueryable<Document> documents, DocumentSort sort, Paging paging, CancellationToken cancellationToken)
    {
        var withValue = WithSortValue(documents, sort);
        var page = await withValue.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        if (page.Count == paging.PageSize)
        {
            return page;
        }

        var valued = await withValue.CountAsync(cancellationToken);
        page.AddRange(await WithoutSortValue(documents, sort)
            .Skip(Math.Max(0, paging.Skip - valued)).Take(paging.PageSize - page.Count).ToListAsync(cancellationToken));
        return page;
    }

    /// <summary>The documents with no value in the sort column, after those with one: newest first.</summary>
    private IQueryable<Document> WithoutSortValue(IQueryable<Document> documents, DocumentSort sort)
    {
        var key = sort.FieldKey!;
        var numeric = sort.Numeric;
        return documents
            .Where(d => !db.DocumentFields.Any(f => f.DocumentId == d.Id && f.Key == key && (numeric ? f.Number != null : f.SortText != null)))
            .OrderByDescending(d => d.UpdatedAt).ThenBy(d => d.Id);
    }

    /// <summary>The documents that have a value in the sort column, in its order (ties by id, the index's last column).</summary>
    private IQueryable<Document> WithSortValue(IQueryable<Document> documents, DocumentSort sort)
    {
        var key = sort.FieldKey!;
        if (sort.Numeric)
        {
            var numbers = from f in db.DocumentFields
                          where f.Key == key && f.Number != null
                          join d in documents on f.DocumentId equals d.Id
                          select new { f.Number, f.DocumentId, Document = d };
            return (sort.Descending ? numbers.OrderByDescending(x => x.Number).ThenByDescending(x => x.DocumentId) : numbers.OrderBy(x => x.Number).ThenBy(x => x.DocumentId))
                .Select(x => x.Document);
        }

        var texts = from f in db.DocumentFields
                    where f.Key == key && f.SortText != null
                    join d in documents on f.DocumentId equals d.Id
                    select new { f.SortText, f.DocumentId, Document = d };
        return (sort.Descending ? texts.OrderByDescending(x => x.SortText).ThenByDescending(x => x.DocumentId) : texts.OrderBy(x => x.SortText).ThenBy(x => x.DocumentId))
            .Select(x => x.Document);
    }

    public async IAsyncEnumerable<Document> StreamAsync(DocumentQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var documents = Filtered(query);
        if (query.Sort.Source != SortSource.Field)
        {
            await foreach (var document in Ordered(documents, query.Sort).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                yield return document;
            }

            yield break;
        }

        await foreach (var document in WithSortValue(documents, query.Sort).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return document;
        }

        await foreach (var document in WithoutSortValue(documents, query.Sort).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return document;
        }
    }

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

    /// <summary>The documents a column filter keeps, as one uncorrelated subquery (<c>Id IN (…)</c>) that the column's index
    /// answers once, instead of a lookup per document.</summary>
    private System.Linq.Expressions.Expression<Func<Document, bool>> FieldMatches(FieldFilter filter)
    {
        var key = filter.Key;
        var fields = db.DocumentFields.Where(f => f.Key == key);
        switch (filter.Match)
        {
            case FieldMatch.Equals:
                var value = filter.Value!.Length > DocumentField.SortTextLength ? filter.Value[..DocumentField.SortTextLength] : filter.Value;
                fields = fields.Where(f => f.SortText == value);
                break;
            case FieldMatch.Contains:
                var pattern = LikePattern(filter.Value!);
                fields = db.Database.IsNpgsql()
                    ? fields.Where(f => EF.Functions.ILike(f.Text!, pattern, "\\"))
                    : fields.Where(f => EF.Functions.Like(f.Text!, pattern, "\\"));
                break;
            case FieldMatch.Range when filter.Numeric:
                double? low = filter.From is null ? null : double.Parse(filter.From, CultureInfo.InvariantCulture);
                double? high = filter.To is null ? null : double.Parse(filter.To, CultureInfo.InvariantCulture);
                fields = fields.Where(f => f.Number != null);
                fields = low is null ? fields : fields.Where(f => f.Number >= low);
                fields = high is null ? fields : fields.Where(f => f.Number <= high);
                break;
            default:
                // Dates are yyyy-MM-dd: their text order is their time order.
                var from = filter.From;
                var to = filter.To;
                fields = fields.Where(f => f.SortText != null);
                fields = from is null ? fields : fields.Where(f => string.Compare(f.SortText, from) >= 0);
                fields = to is null ? fields : fields.Where(f => string.Compare(f.SortText, to) <= 0);
                break;
        }

        var ids = fields.Select(f => f.DocumentId);
        return d => ids.Contains(d.Id);
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
