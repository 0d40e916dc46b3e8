using Hangfire;
using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Workflows;
using Microsoft.Extensions.Logging;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// The Hangfire jobs behind workflow timers. Arguments are ids only and every job checks the state first, so running
/// one twice (a retry, a restart, the sweep racing it) changes nothing the second time.
/// </summary>
public sealed class WorkflowTimerJobs(
    WorkflowHost host, IBookmarkStore bookmarks, HangfireWorkflowScheduler scheduler, SafetyDbContext db, TimeProvider clock, ILogger<WorkflowTimerJobs> logger)
{
    /// <summary>
    /// The outbox pump's job: resumes a batch of due timers one by one. A timer whose resume throws does not stop the
    /// others; the job fails at the end naming it, and Hangfire's retry runs the batch again (the resumed ones are gone).
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Workflow timers ({0})")]
    public Task ResumeBookmarksAsync(string[] bookmarkIds, CancellationToken cancellationToken) =>
        JobBatch.RunAsync(bookmarkIds, "timers", id => ResumeBookmarkAsync(id, cancellationToken));

    /// <summary>Resumes a timer bookmark (Delay, Timer, StartAt, Cron, a task's deadline, reminder or escalation) once it is due.</summary>
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Workflow timer {0}")]
    public async Task ResumeBookmarkAsync(string bookmarkId, CancellationToken cancellationToken)
    {
        var bookmark = await bookmarks.FindAsync(bookmarkId, cancellationToken);
        if (bookmark is null || WorkflowHost.BookmarkTime(bookmark.Payload) is not { } at)
        {
            logger.LogDebug("Timer bookmark {BookmarkId} is gone: already resumed, or the instance moved on", bookmarkId);
            return;
        }

        if (at > clock.GetUtcNow())
        {
            // Early (a job from before the pump, or clocks that disagree): give it back to the pump for its due time.
            await db.Set<BookmarkRow>().Where(b => b.Id == bookmarkId).ExecuteUpdateAsync(s => s.SetProperty(b => b.HandedOffAt, (DateTimeOffset?)null), cancellationToken);
            return;
        }

        try
        {
            await host.ResumeAsync(bookmarkId, null, cancellationToken);
        }
        catch (BookmarkNotFoundException)
        {
            logger.LogDebug("Timer bookmark {BookmarkId} was resumed by someone else first", bookmarkId);
        }
    }

    /// <summary>Fires one occurrence (Unix seconds) of a timer trigger; the next occurrence is scheduled by the host.</summary>
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Workflow trigger {0} at {1}")]
    public async Task FireTriggerAsync(string triggerId, long occurrence, CancellationToken cancellationToken)
    {
        var dueAt = DateTimeOffset.FromUnixTimeSeconds(occurrence);
        if (dueAt <= clock.GetUtcNow())
        {
            scheduler.ReleaseTrigger(triggerId);
        }

        await host.FireTimerTriggerAsync(triggerId, dueAt, cancellationToken);
    }
}
