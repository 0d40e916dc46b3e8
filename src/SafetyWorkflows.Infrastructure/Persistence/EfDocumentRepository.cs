using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfDocumentRepository(SafetyDbContext db, IOptions<ListOptions> options) : IDocumentRepository
{
    /// <summary>A document with its versions, tracked (every upload, submit and decision reads one); compiled once per model.</summary>
    private static readonly CompiledPerModel<Func<SafetyDbContext, Guid, CancellationToken, Task<Document?>>> DocumentById = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, Guid id, CancellationToken _) => db.Documents.Include(d => d.Versions).FirstOrDefault(d => d.Id == id)));

    public Task<Document?> FindAsync(Guid id, CancellationToken cancellationToken) => DocumentById.For(db)(db, id, cancellationToken);

    public void Add(Document document) => db.Documents.Add(document);

    public async Task<IReadOnlyList<Document>> ListOfUnitAsync(string libraryKey, string unitId, DocumentStatus status, CancellationToken cancellationToken) =>
        await db.Documents.Include(d => d.Versions).Where(d => d.LibraryKey == libraryKey && d.UnitId == unitId && d.Status == status).ToListAsync(cancellationToken);

    public async Task<PagedResult<Document>> ListAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        var total = await CountAsync(query, cancellationToken);
        var page = total == 0 ? []
            : Walkable(query.Sort) && await WalkIsCheapAsync(query, total, cancellationToken)
                ? await WalkedPageAsync(query, cancellationToken)
            : query.Sort.Source == SortSource.Field ? await FieldSortedPageAsync(query.LibraryKey, Filtered(query), query.Sort, query.Paging, cancellationToken)
            : await Ordered(Filtered(query), query.Sort).Skip(query.Paging.Skip).Take(query.Paging.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<Document>(page, total, query.Paging.Page, query.Paging.PageSize);
    }

    /// <summary>
    /// The number of matching documents. With column filters, a unit and a stage only (no other document-level
    /// condition), it is counted in the fields' index alone (<c>LibraryKey, Key, value</c>; a document's unit and stage are
    /// kept there too), no lookup of the documents themselves. With several filters the count is an intersection of
    /// their index ranges, read one of two ways (<see cref="ListCountPlan"/>): whichever the filters' estimated sizes
    /// make cheaper.
    /// </summary>
    private async Task<int> CountAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        var filters = CountedFilters(query);
        if (filters is null || filters.Count == 0)
        {
            return await Filtered(query).CountAsync(cancellationToken);
        }

        if (filters.Count == 1)
        {
            return await Matching(query.LibraryKey, filters[0]).CountAsync(cancellationToken);
        }

        var sized = new List<(FieldFilter Filter, int Size)>(filters.Count);
        foreach (var filter in filters)
        {
            sized.Add((filter, await EstimatedSizeAsync(query.LibraryKey, filter, cancellationToken)));
        }

        var bySize = sized.OrderBy(s => s.Size).ToList();
        var plan = options.Value.CountPlan;
        if (plan == ListCountPlan.Auto)
        {
            // Per index entry, measured on SQLite at 100,000 orders (reading the next entry of a range = 1): probing an
            // in-memory id list ~0.4, adding an entry to such a list ~14, looking an id up at random in a big index ~50.
            var others = bySize.Count - 1;
            var idLists = (14.0 * bySize.Take(others).Sum(s => (double)s.Size)) + ((1 + (0.4 * others)) * bySize[^1].Size);
            var lookups = (1 + (50.0 * others)) * bySize[0].Size;
            plan = lookups < idLists ? ListCountPlan.Lookups : ListCountPlan.IdLists;
        }

        return plan == ListCountPlan.Lookups
            ? await CountByLookupsAsync(query.LibraryKey, bySize.Select(s => s.Filter).ToList(), cancellationToken)
            : await CountByIdListsAsync(query.LibraryKey, bySize.Select(s => s.Filter).ToList(), cancellationToken);
    }

    /// <summary>
    /// The largest filter's index range read in order, each entry tested against the other filters' id lists (each list
    /// built once, in memory, smallest first): adding an id to a list costs many times reading it in a range, so the
    /// biggest set is the one read, never the one built. On SQLite an equality is read as a one-value range: with an
    /// equality, the planner would rather take each id of the lists and seek it in the index
    /// (<c>LibraryKey, Key, SortText, DocumentId</c>) than read the range once: tens of thousands of random seeks where
    /// one sequential read does.
    /// </summary>
    private Task<int> CountByIdListsAsync(string libraryKey, List<FieldFilter> smallestFirst, CancellationToken cancellationToken)
    {
        var driver = smallestFirst[^1];
        if (driver.Match == FieldMatch.Equals && !db.Database.IsNpgsql())
        {
            var value = SortableStart(driver.Value!);
            driver = new FieldFilter(driver.Key, FieldMatch.Range, null, value, value, Numeric: false);
        }

        var rows = Matching(libraryKey, driver);
        foreach (var filter in smallestFirst.Take(smallestFirst.Count - 1))
        {
            var ids = Matching(libraryKey, filter).Select(f => f.DocumentId);
            rows = rows.Where(f => ids.Contains(f.DocumentId));
        }

        return rows.CountAsync(cancellationToken);
    }

    /// <summary>The smallest filter's index range read in order, each entry looked up in the other filters' values
    /// (<c>EXISTS</c>): cheap when that range is short, whatever the size of the others.</summary>
    private Task<int> CountByLookupsAsync(string libraryKey, List<FieldFilter> smallestFirst, CancellationToken cancellationToken)
    {
        var rows = Matching(libraryKey, smallestFirst[0]);
        foreach (var filter in smallestFirst.Skip(1))
        {
            var key = filter.Key;
            var values = Condition(db.DocumentFields.Where(f => f.LibraryKey == libraryKey && f.Key == key), filter);
            rows = rows.Where(r => values.Any(f => f.DocumentId == r.DocumentId));
        }

        return rows.CountAsync(cancellationToken);
    }

    /// <summary>
    /// How many documents one filter keeps, to choose how to intersect several: counted in its index range and kept for a
    /// minute (a stale size only picks the slower plan; the count itself is always exact).
    /// </summary>
    private async Task<int> EstimatedSizeAsync(string libraryKey, FieldFilter filter, CancellationToken cancellationToken)
    {
        var cacheKey = (db.Database.GetConnectionString() ?? "", libraryKey, filter);
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (FilterSizes.TryGetValue(cacheKey, out var known)
            && System.Diagnostics.Stopwatch.GetElapsedTime(known.At, now) < TimeSpan.FromMinutes(1))
        {
            return known.Size;
        }

        var size = await Matching(libraryKey, filter).CountAsync(cancellationToken);
        if (FilterSizes.Count >= 4_096)
        {
            FilterSizes.Clear();   // many distinct filters within a minute: start over rather than grow
        }

        FilterSizes[cacheKey] = (size, now);
        return size;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Connection, string Library, FieldFilter Filter), (int Size, long At)>
        FilterSizes = new();

    /// <summary>The query as filters on the fields' index (its unit and stage as the system fields), or null when it has a
    /// condition the index does not hold (a status, a text search, overdue, involvement).</summary>
    private static List<FieldFilter>? CountedFilters(DocumentQuery query)
    {
        if (query.Status is not null || query.Text is not null || query.OverdueAt is not null || query.InvolvedUser is not null
            || (!query.VisibleToAll && query.VisibleUnitId is null))
        {
            return null;
        }

        var filters = query.Fields.ToList();
        foreach (var unit in new[] { query.VisibleToAll ? null : query.VisibleUnitId, query.UnitId }.OfType<string>())
        {
            filters.Add(new FieldFilter(DocumentField.UnitKey, FieldMatch.Equals, unit, null, null, false));
        }

        if (query.Stage is { } stage)
        {
            filters.Add(new FieldFilter(DocumentField.StageKey, FieldMatch.Equals, stage, null, null, false));
        }

        return filters;
    }

    /// <summary>Every document of the library the caller may see matches (so the count is the library's size).</summary>
    private static bool Unfiltered(DocumentQuery query) =>
        query.Fields.Count == 0 && query.VisibleToAll && query.Status is null && query.Stage is null && query.UnitId is null
        && query.Text is null && query.OverdueAt is null && query.InvolvedUser is null;

    /// <summary>
    /// Whether walking the sort order's index and testing each document against the filters (stopping at the page's end)
    /// reads fewer rows than collecting every match and sorting it: the walk reads about <c>(skip + size) × library /
    /// matches</c> entries. The library's size is an estimate kept for a minute; a stale one only picks the slower plan.
    /// </summary>
    private async Task<bool> WalkIsCheapAsync(DocumentQuery query, int total, CancellationToken cancellationToken)
    {
        if (Unfiltered(query))
        {
            return true;   // every row of the walk is on the page or before it: nothing to sort could be cheaper
        }

        var size = await LibrarySizeAsync(query.LibraryKey, cancellationToken);
        var walk = (double)(query.Paging.Skip + query.Paging.PageSize) * size / total;
        return walk <= options.Value.WalkBudget;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Size, long At)> LibrarySizes = new(StringComparer.Ordinal);

    private async Task<int> LibrarySizeAsync(string libraryKey, CancellationToken cancellationToken)
    {
        var cacheKey = db.Database.GetConnectionString() + "|" + libraryKey;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (LibrarySizes.TryGetValue(cacheKey, out var known) && System.Diagnostics.Stopwatch.GetElapsedTime(known.At, now) < TimeSpan.FromMinutes(1))
        {
            return known.Size;
        }

        var size = await db.Documents.CountAsync(d => d.LibraryKey == libraryKey, cancellationToken);
        LibrarySizes[cacheKey] = (size, now);
        return size;
    }

    /// <summary>The sorts with an index in their order to walk: a metadata column, the title, the time of the last change.</summary>
    private static bool Walkable(DocumentSort sort) =>
        sort.Source is SortSource.Field or SortSource.Title or SortSource.UpdatedAt;

    /// <summary>
    /// A page read in the order of the sort's index, each candidate tested against the filters as correlated lookups
    /// (a column filter on the sort column itself narrows the walk's own index range). On SQLite the walk names its index
    /// (<c>INDEXED BY</c>): with one big library the planner's statistics say a library key matches every row, and it
    /// would rather scan and sort the whole table than walk an index and stop after a page.
    /// </summary>
    private async Task<List<Document>> WalkedPageAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        var sort = query.Sort;
        var hinted = !db.Database.IsNpgsql();
        if (sort.Source != SortSource.Field)
        {
            var source = !hinted ? db.Documents : sort.Source switch
            {
                SortSource.Title => db.Documents.FromSqlRaw(ListIndexes.WalkByTitle),
                _ => db.Documents.FromSqlRaw(ListIndexes.WalkByUpdatedAt),
            };
            return await Ordered(Filtered(query, correlated: true, source), sort).Skip(query.Paging.Skip).Take(query.Paging.PageSize).ToListAsync(cancellationToken);
        }

        var documents = Filtered(query, correlated: true);
        var fields = !hinted ? db.DocumentFields : db.DocumentFields.FromSqlRaw(sort.Numeric ? ListIndexes.WalkByNumber : ListIndexes.WalkBySortText);
        var walked = fields.Where(f => f.LibraryKey == query.LibraryKey && f.Key == sort.FieldKey);
        walked = sort.Numeric ? walked.Where(f => f.Number != null) : walked.Where(f => f.SortText != null);
        foreach (var filter in query.Fields.Where(f => f.Key == sort.FieldKey))
        {
            walked = Condition(walked, filter);
        }

        walked = walked.Where(f => documents.Any(d => d.Id == f.DocumentId));
        var ordered = sort.Numeric
            ? sort.Descending ? walked.OrderByDescending(f => f.Number).ThenByDescending(f => f.DocumentId) : walked.OrderBy(f => f.Number).ThenBy(f => f.DocumentId)
            : sort.Descending ? walked.OrderByDescending(f => f.SortText).ThenByDescending(f => f.DocumentId) : walked.OrderBy(f => f.SortText).ThenBy(f => f.DocumentId);
        var ids = await ordered.Skip(query.Paging.Skip).Take(query.Paging.PageSize).Select(f => f.DocumentId).ToListAsync(cancellationToken);
        var page = await InOrderAsync(ids, cancellationToken);
        await FillWithoutSortValueAsync(page, walked.CountAsync, documents, sort, query.Paging, cancellationToken);
        return page;
    }

    private async Task<List<Document>> InOrderAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var found = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        return ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
    }

    /// <summary>
    /// A page sorted by a metadata column, read in the order of that column's index (so a page costs the rows it shows, not a
    /// sort of the whole library); documents without a value for the column come after those with one, newest first.
    /// </summary>
    private async Task<List<Document>> FieldSortedPageAsync(string libraryKey, IQueryable<Document> documents, DocumentSort sort, Paging paging, CancellationToken cancellationToken)
    {
        var withValue = WithSortValue(libraryKey, documents, sort);
        var page = await withValue.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        await FillWithoutSortValueAsync(page, withValue.CountAsync, documents, sort, paging, cancellationToken);
        return page;
    }

    /// <summary>
    /// A page of a column sort that ends before the page does (its documents with a value ran out) goes on with those
    /// without one, newest first, skipping as many of them as the page's start lies beyond the last valued document.
    /// </summary>
    /// <param name="countValued">How many matching documents have a value in the sort column (read only when needed).</param>
    private async Task FillWithoutSortValueAsync(
        List<Document> page,
        Func<CancellationToken, Task<int>> countValued,
        IQueryable<Document> documents,
        DocumentSort sort,
        Paging paging,
        CancellationToken cancellationToken)
    {
        if (page.Count == paging.PageSize)
        {
            return;
        }

        var valued = await countValued(cancellationToken);
        page.AddRange(await WithoutSortValue(documents, sort)
            .Skip(Math.Max(0, paging.Skip - valued)).Take(paging.PageSize - page.Count).ToListAsync(cancellationToken));
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
    private IQueryable<Document> WithSortValue(string libraryKey, IQueryable<Document> documents, DocumentSort sort)
    {
        var key = sort.FieldKey!;
        var library = db.DocumentFields.Where(f => f.LibraryKey == libraryKey && f.Key == key);
        if (sort.Numeric)
        {
            var numbers = from f in library
                          where f.Number != null
                          join d in documents on f.DocumentId equals d.Id
                          select new { f.Number, f.DocumentId, Document = d };
            return (sort.Descending ? numbers.OrderByDescending(x => x.Number).ThenByDescending(x => x.DocumentId) : numbers.OrderBy(x => x.Number).ThenBy(x => x.DocumentId))
                .Select(x => x.Document);
        }

        var texts = from f in library
                    where f.SortText != null
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

        await foreach (var document in WithSortValue(query.LibraryKey, documents, query.Sort).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return document;
        }

        await foreach (var document in WithoutSortValue(documents, query.Sort).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return document;
        }
    }

    /// <param name="correlated">Column filters as a lookup per document (<c>EXISTS</c>: cheap when the caller walks an index
    /// in order and stops early) instead of one id list per filter (<c>IN</c>: cheap when every match is read).</param>
    /// <param name="source">The documents to start from (a walk names its index).</param>
    private IQueryable<Document> Filtered(DocumentQuery query, bool correlated = false, IQueryable<Document>? source = null)
    {
        var documents = (source ?? db.Documents).AsNoTracking().Where(d => d.LibraryKey == query.LibraryKey);
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
            documents = documents.Where(correlated ? FieldHas(filter) : FieldMatches(query.LibraryKey, filter));
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
    private System.Linq.Expressions.Expression<Func<Document, bool>> FieldMatches(string libraryKey, FieldFilter filter)
    {
        var ids = Matching(libraryKey, filter).Select(f => f.DocumentId);
        return d => ids.Contains(d.Id);
    }

    /// <summary>The documents a column filter keeps, as a lookup of each document's own value (<c>EXISTS</c>).</summary>
    private System.Linq.Expressions.Expression<Func<Document, bool>> FieldHas(FieldFilter filter)
    {
        var key = filter.Key;
        var fields = Condition(db.DocumentFields, filter);
        return d => fields.Any(f => f.DocumentId == d.Id && f.Key == key);
    }

    /// <summary>
    /// The field rows of one library that a column filter keeps (an index range of <c>LibraryKey, Key, value</c>). On
    /// SQLite the range names its index (<c>INDEXED BY</c>): with the statistics of <c>PRAGMA optimize</c>, the planner
    /// would at times rather take each id of another filter's list and seek it by the primary key (<c>DocumentId, Key</c>)
    /// than read the range once, five to ten times slower at 100,000 documents, and which plan it took changed from one
    /// run to the next.
    /// </summary>
    private IQueryable<DocumentField> Matching(string libraryKey, FieldFilter filter)
    {
        var key = filter.Key;
        var npgsql = db.Database.IsNpgsql();
        var source = npgsql ? db.DocumentFields
            : db.DocumentFields.FromSqlRaw(filter.Match == FieldMatch.Range && filter.Numeric ? ListIndexes.WalkByNumber : ListIndexes.WalkBySortText);
        var fields = source.Where(f => f.LibraryKey == libraryKey && f.Key == key);
        if (filter.Match != FieldMatch.Contains || !npgsql)
        {
            // On SQLite one predicate over both columns reads the index alone for texts of up to 100 characters: the
            // table row is only sought (a deferred seek) for an entry whose SortText is cut short, about 30 % less work
            // than the two reads below (measured at 100,000 rows).
            return Condition(fields, filter);
        }

        // On PostgreSQL a contains-filter reads the index alone for texts of up to 100 characters (SortText is the whole
        // text), and the rows of the few longer ones (or of non-texts) only: one predicate over both columns would read
        // every row.
        var pattern = LikePattern(filter.Value!);
        var byStart = fields.Where(f => EF.Functions.ILike(f.SortText!, pattern, "\\"));
        var rest = fields.Where(f => f.SortText == null || (f.SortText.Length >= DocumentField.SortTextLength && !EF.Functions.ILike(f.SortText, pattern, "\\")));
        var restIds = rest.Select(f => f.DocumentId);
        var byWhole = db.DocumentFields.Where(f => f.Key == key && restIds.Contains(f.DocumentId) && EF.Functions.ILike(f.Text!, pattern, "\\"));
        return byStart.Concat(byWhole);
    }

    private IQueryable<DocumentField> Condition(IQueryable<DocumentField> fields, FieldFilter filter)
    {
        switch (filter.Match)
        {
            case FieldMatch.Equals:
                var value = SortableStart(filter.Value!);
                return fields.Where(f => f.SortText == value);
            case FieldMatch.Contains:
                var pattern = LikePattern(filter.Value!);
                // The first 100 characters are in the column's index (SortText): only a longer text is read from its row.
                return db.Database.IsNpgsql()
                    ? fields.Where(f => (f.SortText != null && EF.Functions.ILike(f.SortText, pattern, "\\"))
                        || ((f.SortText == null || f.SortText.Length >= DocumentField.SortTextLength) && EF.Functions.ILike(f.Text!, pattern, "\\")))
                    : fields.Where(f => (f.SortText != null && EF.Functions.Like(f.SortText, pattern, "\\"))
                        || ((f.SortText == null || f.SortText.Length >= DocumentField.SortTextLength) && EF.Functions.Like(f.Text!, pattern, "\\")));
            case FieldMatch.Range when filter.Numeric:
                double? low = filter.From is null ? null : double.Parse(filter.From, CultureInfo.InvariantCulture);
                double? high = filter.To is null ? null : double.Parse(filter.To, CultureInfo.InvariantCulture);
                fields = fields.Where(f => f.Number != null);
                fields = low is null ? fields : fields.Where(f => f.Number >= low);
                return high is null ? fields : fields.Where(f => f.Number <= high);
            default:
                // Dates are yyyy-MM-dd: their text order is their time order.
                var from = filter.From;
                var to = filter.To;
                fields = fields.Where(f => f.SortText != null);
                fields = from is null ? fields : fields.Where(f => string.Compare(f.SortText, from) >= 0);
                return to is null ? fields : fields.Where(f => string.Compare(f.SortText, to) <= 0);
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

    /// <summary>The part of a value that <see cref="DocumentField.SortText"/> keeps (and an equality compares).</summary>
    private static string SortableStart(string value) =>
        value.Length > DocumentField.SortTextLength ? value[..DocumentField.SortTextLength] : value;

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
