using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Workflows;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// The one place where committed work becomes Hangfire jobs (ADR-012). A request writes its timers (timer bookmarks with
/// their due time) and its notification deliveries as rows in its own transaction and never calls Hangfire; this pump,
/// a background process of the Hangfire server, reads the rows that are due and not yet handed over, creates one job per
/// batch and marks the rows. Jobs, retries and the dashboard stay Hangfire's.
/// <para>
/// Exactly-once does not rest on the pump: it creates the job before it marks the rows, so a crash in between only
/// creates a second job for the same rows, and every job checks its rows first (a resumed bookmark is gone; a delivery
/// is claimed before it is sent). A crash after the commit and before the pump loses nothing either: the rows wait. On
/// PostgreSQL with several processes, a cycle holds an advisory lock, so only one pump hands rows over at a time.
/// </para>
/// </summary>
public sealed class OutboxPump(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider clock, IOptions<HangfireOptions> options, ILogger<OutboxPump> logger)
    : IBackgroundProcess
{
    /// <summary>The shadow column on <c>NotificationDeliveries</c> that records the hand-over.</summary>
    public const string HandedOffAt = "HandedOffAt";

    /// <summary>Rows per job: a burst of a thousand timers is twenty jobs, not a thousand.</summary>
    public const int BatchSize = 50;

    /// <summary>Rows read per cycle and kind; the rest wait for the next cycle, which comes at once while there is more.</summary>
    public const int CycleLimit = 1000;

    /// <summary>Hangfire's loop: one cycle, then a wait of <c>Hangfire:PumpInterval</c> (at once again while rows remain).</summary>
    public void Execute(BackgroundProcessContext context)
    {
        var more = false;
        try
        {
            more = PumpAsync(context.StoppingToken).GetAwaiter().GetResult() >= CycleLimit;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The outbox pump failed; trying again at the next cycle");
        }

        if (!more)
        {
            context.Wait(options.Value.PumpInterval);
        }
    }

    /// <summary>One cycle: hands every due timer and pending delivery to jobs. Returns the rows handed over.</summary>
    public async Task<int> PumpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        // On SQLite no transaction: one process owns the file, and holding its write lock while Hangfire writes its own
        // file would stall every request meanwhile.
        await using var transaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null
            && !await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_xact_lock({PostgresLocks.OutboxPump}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            // Another process's pump is in its cycle; one pump at a time keeps a row from being handed over twice.
            return 0;
        }

        var now = clock.GetUtcNow();

        var timers = await db.Set<BookmarkRow>().AsNoTracking()
            .Where(b => b.HandedOffAt == null && b.DueAt != null && b.DueAt <= now)
            .OrderBy(b => b.DueAt).Select(b => b.Id).Take(CycleLimit).ToListAsync(cancellationToken);
        foreach (var batch in timers.Chunk(BatchSize))
        {
            jobs.Enqueue<WorkflowTimerJobs>(j => j.ResumeBookmarksAsync(batch, CancellationToken.None));
            await db.Set<BookmarkRow>().Where(b => batch.Contains(b.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.HandedOffAt, now), cancellationToken);
        }

        var deliveries = await db.Set<NotificationDelivery>().AsNoTracking()
            .Where(d => EF.Property<DateTimeOffset?>(d, HandedOffAt) == null && d.Status == DeliveryStatus.Pending && !d.Digest && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(CycleLimit).ToListAsync(cancellationToken);
        foreach (var batch in deliveries.Chunk(BatchSize))
        {
            jobs.Enqueue<NotificationDispatcher>(d => d.DeliverManyAsync(batch, CancellationToken.None));
            await db.Set<NotificationDelivery>().Where(d => batch.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => EF.Property<DateTimeOffset?>(d, HandedOffAt), now), cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        if (timers.Count + deliveries.Count > 0)
        {
            logger.LogDebug("Outbox pump handed {Timers} timers and {Deliveries} deliveries to Hangfire", timers.Count, deliveries.Count);
        }

        return Math.Max(timers.Count, deliveries.Count);
    }

    public override string ToString() => "Outbox pump";
}
