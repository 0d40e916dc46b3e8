using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Infrastructure.Workflows;

/// <summary>Section <c>Workflows</c>.</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>The folder of definition files imported at start; relative paths resolve against the app's base directory.</summary>
    public string Directory { get; set; } = "workflows";

    /// <summary>
    /// How often the sweep looks for due timers that have no pending job (Hangfire fires them on time; the sweep catches a
    /// timer whose job was lost, e.g. the process died between the commit and the scheduling).
    /// </summary>
    public TimeSpan TimerPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public string ResolveDirectory() => Path.IsPathRooted(Directory) ? Directory : Path.Combine(AppContext.BaseDirectory, Directory);
}

/// <summary>
/// The safety net under the Hangfire timers: resumes due timer bookmarks (each resume is idempotent: a bookmark already
/// consumed is simply gone) and schedules timer triggers that have no pending job. With a fake clock, tests drive timers
/// through <see cref="ResumeDueAsync"/>.
/// </summary>
public sealed class DueTimerPoller(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<WorkflowOptions> options, IOptions<Scheduling.HangfireOptions> hangfire, ILogger<DueTimerPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await BackfillDueTimesAsync(stoppingToken);
            await ScheduleTimerTriggersAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Scheduling the timer triggers of published workflows failed");
        }

        using var timer = new PeriodicTimer(options.Value.TimerPollInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ResumeDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Resuming due workflow timers failed; trying again at the next tick");
            }
        }
    }

    /// <summary>Schedules the next occurrence of every timer trigger (StartAt, Timer, Cron) that has no pending job.</summary>
    public async Task<int> ScheduleTimerTriggersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IWorkflowScheduler>();
        var pending = scheduler as Scheduling.HangfireWorkflowScheduler;
        var scheduled = 0;
        foreach (var trigger in await scope.ServiceProvider.GetRequiredService<ITriggerStore>().ListTimersAsync(cancellationToken))
        {
            if (pending?.TriggerJob(trigger.Id) is null && WorkflowHost.NextTriggerTime(trigger, clock.GetUtcNow()) is { } at)
            {
                await scheduler.ScheduleTriggerAsync(trigger.Id, at, cancellationToken);
                scheduled++;
            }
        }

        return scheduled;
    }

    /// <summary>
    /// Gives timer bookmarks written before the due-time column existed their due time (from the payload), so that the
    /// pump and this sweep see them. Runs once at start; a database without such rows reads one index page.
    /// </summary>
    public async Task<int> BackfillDueTimesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var rows = await db.Set<BookmarkRow>()
            .Where(b => b.DueAt == null && b.PayloadJson != null && (b.PayloadJson.Contains("\"ResumeAt\"") || b.PayloadJson.Contains("\"ExecuteAt\"")))
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            row.DueAt = WorkflowHost.BookmarkTime(System.Text.Json.Nodes.JsonNode.Parse(row.PayloadJson!) as System.Text.Json.Nodes.JsonObject);
        }

        await db.SaveChangesAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>
    /// Resumes due timer bookmarks in this process. Where this process runs the Hangfire server, its outbox pump hands
    /// timers to jobs within a second, so the sweep takes only those the pump and its jobs left behind for longer than a
    /// poll interval; without a server here (and in the tests, on their fake clocks) it resumes every due timer.
    /// </summary>
    public async Task<int> ResumeDueAsync(CancellationToken cancellationToken)
    {
        List<string> due;
        var now = clock.GetUtcNow();
        var lost = now - options.Value.TimerPollInterval;
        var pumped = hangfire.Value.ServerEnabled;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
            due = await db.Set<BookmarkRow>().AsNoTracking()
                .Where(b => b.DueAt != null && (pumped ? (b.HandedOffAt == null ? b.DueAt <= lost : b.HandedOffAt <= lost) : b.DueAt <= now))
                .OrderBy(b => b.DueAt).Select(b => b.Id).ToListAsync(cancellationToken);
        }

        var resumed = 0;
        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<WorkflowHost>().ResumeAsync(id, null, cancellationToken);
                resumed++;
            }
            catch (BookmarkNotFoundException)
            {
                // Already resumed by someone else.
            }
        }

        return resumed;
    }
}

public static class WorkflowStartup
{
    /// <summary>
    /// Imports <c>workflows/*.json</c>: new files become version 1 (published), changed files a new published version,
    /// unchanged files nothing. A broken file stops start-up with its name, the activity and the reason.
    /// </summary>
    public static async Task ImportWorkflowsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var folder = services.GetRequiredService<IOptions<WorkflowOptions>>().Value.ResolveDirectory();
        if (!System.IO.Directory.Exists(folder))
        {
            return;
        }

        // Under the start-up lock on PostgreSQL: two processes importing the same new file would both write its version 1.
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkflowStartup));
        await services.RunExclusiveAsync(
            async ct =>
            {
                foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
                {
                    await using var scope = services.CreateAsyncScope();
                    var imported = await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>().ImportFileAsync(file, ct);
                    logger.LogInformation("Workflow definition {File}: {Outcome}", Path.GetFileName(file), imported.Outcome);
                    foreach (var cycle in imported.Cycles)
                    {
                        logger.LogWarning("Workflow definition {File}: {Warning}", Path.GetFileName(file), cycle.Message);
                    }
                }
            },
            cancellationToken);
    }
}
