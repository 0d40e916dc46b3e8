using Hangfire;
using Microsoft.Extensions.Logging;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// <see cref="IWorkflowScheduler"/> on Hangfire. A timer bookmark needs no call here: its row, committed with the
/// workflow's state, carries its due time, and the <see cref="OutboxPump"/> hands it to a job when it is due; a bookmark
/// that goes is deleted in the same commit, and a job already handed over finds it gone (ADR-012). Timer triggers of
/// published definitions (StartAt, Timer, Cron) are scheduled jobs whose only arguments are ids, their job id kept in a
/// Hangfire hash so that a re-publish or retract deletes it. Delays are measured on the app's <see cref="TimeProvider"/>.
/// </summary>
public sealed class HangfireWorkflowScheduler(IBackgroundJobClient jobs, JobStorage storage, TimeProvider clock, ILogger<HangfireWorkflowScheduler> logger) : IWorkflowScheduler
{
    /// <summary>Nothing to do: the committed bookmark row is the schedule, and the pump reads it.</summary>
    public Task ScheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing to do: the bookmark row went with the commit.</summary>
    public Task UnscheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ScheduleTriggerAsync(string triggerId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ResilientAsync($"schedule trigger {triggerId}", () =>
        {
            Forget(TriggerKey(triggerId));
            var occurrence = at.ToUnixTimeSeconds();
            var jobId = jobs.Schedule<WorkflowTimerJobs>(j => j.FireTriggerAsync(triggerId, occurrence, CancellationToken.None), DelayUntil(at));
            Remember(TriggerKey(triggerId), jobId);
        }, cancellationToken);

    public Task UnscheduleTriggerAsync(string triggerId, CancellationToken cancellationToken) =>
        ResilientAsync($"unschedule trigger {triggerId}", () => Forget(TriggerKey(triggerId)), cancellationToken);

    /// <summary>
    /// Runs after the workflow's commit, so it must not fail the caller: a busy job store is tried again a few times, and
    /// if it still refuses, the timer is left to the sweep (its due time is in the bookmark index) and the failure logged.
    /// </summary>
    private async Task ResilientAsync(string what, Action action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                action();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 4)
            {
                logger.LogWarning(ex, "Hangfire refused to {What} (attempt {Attempt}); trying again", what, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Hangfire refused to {What}; the timer sweep will pick it up", what);
                return;
            }
        }
    }

    /// <summary>
    /// Called by the running job of <paramref name="triggerId"/>: forgets its job id without deleting the job, so that the
    /// next occurrence it schedules does not delete the very job that runs it (it would end as Deleted, not Succeeded).
    /// </summary>
    public void ReleaseTrigger(string triggerId) => Remove(TriggerKey(triggerId));

    /// <summary>The scheduled job of a trigger, if one is recorded (a trigger without one is scheduled again at start).</summary>
    public string? TriggerJob(string triggerId) => JobOf(TriggerKey(triggerId));

    private TimeSpan DelayUntil(DateTimeOffset at)
    {
        var delay = at - clock.GetUtcNow();
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    private static string TriggerKey(string triggerId) => "safety:timer:trigger:" + triggerId;

    private string? JobOf(string key)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash(key) is { } entries && entries.TryGetValue("job", out var id) ? id : null;
    }

    private void Remember(string key, string jobId)
    {
        using var connection = storage.GetConnection();
        connection.SetRangeInHash(key, [new KeyValuePair<string, string>("job", jobId)]);
    }

    private void Forget(string key)
    {
        if (JobOf(key) is not { } jobId)
        {
            return;
        }

        jobs.Delete(jobId);
        Remove(key);
    }

    private void Remove(string key)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.RemoveHash(key);
        transaction.Commit();
    }
}
