using Microsoft.EntityFrameworkCore;
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
            var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            // SQLite's LIKE ignores ASCII case; PostgreSQL's does not, so it searches with ILIKE to find the same documents.
            documents = db.Database.IsNpgsql()
                ? documents.Where(d => EF.Functions.ILike(d.Title, pattern, "\\") || EF.Functions.ILike(d.MetadataJson, pattern, "\\"))
                : documents.Where(d => EF.Functions.Like(d.Title, pattern, "\\") || EF.Functions.Like(d.MetadataJson, pattern, "\\"));
        }

        var total = await documents.CountAsync(cancellationToken);
        var page = await documents
            .OrderByDescending(d => d.UpdatedAt)
            .ThenBy(d => d.Id)
            .Skip(query.Paging.Skip)
            .Take(query.Paging.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<Document>(page, total, query.Paging.Page, query.Paging.PageSize);
    }

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
