namespace SafetyWorkflows.Workflows.Scheduling;

/// <summary>
/// The timer port (Elsa's <c>IWorkflowScheduler</c>): resume a bookmark at a time, or start an instance from a timer
/// trigger, and forget either again. Hangfire implements it in production; tests use a fake clock.
/// </summary>
public interface IWorkflowScheduler
{
    /// <summary>Arranges for <paramref name="bookmarkId"/> of <paramref name="workflowInstanceId"/> to be resumed at <paramref name="at"/>.</summary>
    Task ScheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets a scheduled resume (the instance moved on, or was cancelled). Unknown ids are ignored.</summary>
    Task UnscheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, CancellationToken cancellationToken);

    /// <summary>Arranges for a timer trigger of a published definition to start an instance at <paramref name="at"/>.</summary>
    Task ScheduleTriggerAsync(string triggerId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets a scheduled trigger (the definition was retracted or re-published).</summary>
    Task UnscheduleTriggerAsync(string triggerId, CancellationToken cancellationToken);
}
