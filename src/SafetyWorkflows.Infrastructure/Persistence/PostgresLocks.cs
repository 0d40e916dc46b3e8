using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// The advisory-lock keys this app takes on PostgreSQL (one 64-bit key space per database). Hangfire.PostgreSql keeps
/// its own locks in its <c>hangfire.lock</c> table, so these cannot collide with them.
/// </summary>
internal static class PostgresLocks
{
    /// <summary>Appending to the audit chain: transaction-scoped, held from reading the head until the commit.</summary>
    public const long AuditChain = 0x5357_0001; // "SW" 1

    /// <summary>Start-up (migrate, seed, import workflow files): session-scoped, one process at a time.</summary>
    public const long Startup = 0x5357_0002; // "SW" 2

    /// <summary>One outbox pump cycle at a time across processes: transaction-scoped, tried, never waited for.</summary>
    public const long OutboxPump = 0x5357_0003; // "SW" 3

    /// <summary>
    /// Runs start-up work while holding <see cref="Startup"/> on a connection of its own, so that processes starting at
    /// once migrate, seed and import one after the other (the second finds the work done). On SQLite it just runs: one
    /// process owns the file.
    /// </summary>
    public static async Task RunExclusiveAsync(this IServiceProvider services, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.Provider != DatabaseProvider.PostgreSql)
        {
            await work(cancellationToken);
            return;
        }

        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Startup})", connection))
        {
            // Waits for the other process's start-up; the server gives the lock up by itself if that process dies.
            take.CommandTimeout = 0;
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await work(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Startup})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
