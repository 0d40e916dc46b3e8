using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SafetyWorkflows.Infrastructure.Seeding;

namespace SafetyWorkflows.Infrastructure.Persistence;

public static class DatabaseInitializer
{
    /// <summary>
    /// Migrates the database and applies the seeds: one explicit, idempotent step run before the app serves. On
    /// PostgreSQL it creates the database when it is missing and runs under the start-up advisory lock, so processes
    /// starting at once do it one after the other.
    /// </summary>
    public static async Task InitialiseDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
            if (db.Database.IsSqlite())
            {
                // WAL lets readers go on while one writer commits; the setting is stored in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            else if (db.Database.IsNpgsql())
            {
                await CreatePostgresDatabaseIfMissingAsync(db, cancellationToken);
            }
        }

        await services.RunExclusiveAsync(
            async ct =>
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Database.MigrateAsync(ct);
                await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(ct);
            },
            cancellationToken);
        await services.GetRequiredService<DocumentLibraries.StoredLibraryCatalog>().ReloadAsync(cancellationToken);
    }

    // The advisory lock needs a connection to the database itself, so the database must exist before migrating under it.
    private static async Task CreatePostgresDatabaseIfMissingAsync(SafetyDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it first.
        }
    }
}
