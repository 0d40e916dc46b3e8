using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.DocumentLibraries;

/// <summary>
/// The libraries as stored, held in memory: every request reads them (menus, forms, validation), an administrator's edit
/// is rare. Loaded once the database is migrated and seeded, reloaded at once after an edit here, and every
/// <see cref="RefreshInterval"/> so that the other processes of a scaled-out installation see an edit too.
/// </summary>
public sealed class StoredLibraryCatalog(IServiceScopeFactory scopes) : ILibraryCatalog
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private volatile FixedLibraryCatalog? _snapshot;

    public IReadOnlyList<Library> All => Snapshot.All;

    private FixedLibraryCatalog Snapshot => _snapshot
        ?? throw new InvalidOperationException("The library catalog is read when the database is initialised (InitialiseDatabaseAsync) and was not.");

    public Library? Find(string key) => Snapshot.Find(key);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var stored = await db.LibraryDefinitions.AsNoTracking().ToListAsync(cancellationToken);
        _snapshot = new FixedLibraryCatalog(stored.OrderBy(l => l.Position).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => l.ToLibrary()));
    }
}

/// <summary>Picks up libraries edited in another process.</summary>
internal sealed class LibraryCatalogRefresher(StoredLibraryCatalog catalog, TimeProvider clock, ILogger<LibraryCatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StoredLibraryCatalog.RefreshInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await catalog.ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is away for a moment: keep serving what was read last, and try again on the next tick.
                logger.LogWarning(ex, "Could not reload the library catalog; serving the libraries read before");
            }
        }
    }
}
