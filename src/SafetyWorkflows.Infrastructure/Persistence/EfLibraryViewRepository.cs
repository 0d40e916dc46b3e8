using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfLibraryViewRepository(SafetyDbContext db) : ILibraryViewRepository
{
    /// <summary>The shared views of the library, then the person's own, each by name.</summary>
    public async Task<IReadOnlyList<LibraryView>> ListAsync(string libraryKey, string userName, CancellationToken cancellationToken)
    {
        var views = await db.LibraryViews.AsNoTracking()
            .Where(v => v.LibraryKey == libraryKey && (v.Owner == null || v.Owner == userName))
            .ToListAsync(cancellationToken);
        return views.OrderBy(v => v.Owner is null ? 0 : 1).ThenBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    public Task<LibraryView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.LibraryViews.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);

    public void Add(LibraryView view) => db.LibraryViews.Add(view);

    public void Remove(LibraryView view) => db.LibraryViews.Remove(view);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
