using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// Keeps SQLite's query planner informed: <c>PRAGMA optimize</c> gathers the statistics (ANALYZE) of tables that grew since
/// the last run, so that a filtered list picks the selective index instead of guessing. Once shortly after start, then
/// every few hours, as SQLite's documentation advises for long-running processes. Nothing to do on PostgreSQL, whose
/// autovacuum analyses tables itself.
/// </summary>
internal sealed class SqliteOptimizer(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SqliteOptimizer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
                if (!db.Database.IsSqlite())
                {
                    return;
                }

                // 0x10002: analyse what needs it, with a row limit per index so that a large table costs milliseconds.
                await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "PRAGMA optimize failed; the planner keeps the statistics it has");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
