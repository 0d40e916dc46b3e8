using Hangfire;
using Microsoft.Extensions.Logging;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// <see cref="IWorkflowScheduler"/> on Hangfire: each timer is a scheduled job whose only arguments are ids, its job id
/// kept in a Hangfire hash so that it is deleted when the instance moves on or is cancelled. Delays are measured on the
/// app's <see cref="TimeProvider"/>.
/// </summary>
public sealed class HangfireWorkflowScheduler(IBackgroundJobClient jobs, JobStorage storage, TimeProvider clock, ILogger<HangfireWorkflowScheduler> logger) : IWorkflowScheduler
{
    public Task ScheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ResilientAsync($"schedule timer {bookmarkId}", () =>
        {
            Forget(BookmarkKey(bookmarkId));
            var jobId = jobs.Schedule<WorkflowTimerJobs>(j => j.ResumeBookmarkAsync(bookmarkId, CancellationToken.None), DelayUntil(at));
            Remember(BookmarkKey(bookmarkId), jobId);
        }, cancellationToken);

    public Task UnscheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, CancellationToken cancellationToken) =>
        ResilientAsync($"unschedule timer {bookmarkId}", () => Forget(BookmarkKey(bookmarkId)), cancellationToken);

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
    /// Called by the running job of <paramref name="bookmarkId"/>: forgets its job id without deleting the job, so that the
    /// resume it performs does not delete the very job that runs it (it would end as Deleted instead of Succeeded).
    /// </summary>
    public void Release(string bookmarkId) => Remove(BookmarkKey(bookmarkId));

    /// <summary>As <see cref="Release"/>, for the running job of a timer trigger.</summary>
    public void ReleaseTrigger(string triggerId) => Remove(TriggerKey(triggerId));

    /// <summary>The scheduled job of a trigger, if one is recorded (a trigger without one is scheduled again at start).</summary>
    public string? TriggerJob(string triggerId) => JobOf(TriggerKey(triggerId));

    /// <summary>The scheduled job of a timer bookmark, if one is recorded.</summary>
    public string? BookmarkJob(string bookmarkId) => JobOf(BookmarkKey(bookmarkId));

    private TimeSpan DelayUntil(DateTimeOffset at)
    {
        var delay = at - clock.GetUtcNow();
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    private static string BookmarkKey(string bookmarkId) => "safety:timer:bookmark:" + bookmarkId;

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
