namespace SafetyWorkflows.Core.Calendar;

/// <summary>What kind of clock is pending (each has a label in the UI, <c>Clock.{Kind}</c>).</summary>
public enum PendingClockKind
{
    Deadline,
    Reminder,
    Escalation,
    ProgressReport,
    StepTimeout,
    WorkflowTimer,
    TimerTrigger,
    Recurring,

    /// <summary>An emergency plan's next drill (from its <c>lastDrill</c>, else its publication).</summary>
    PlanDrill,

    /// <summary>An emergency plan's next evaluation (评估).</summary>
    PlanEvaluation,
}

/// <summary>
/// One pending deadline or timer and the rule that created it (a step's deadline, a 催办 offset, a 督办 rung, a Delay, a
/// recurring campaign…), with what it belongs to.
/// </summary>
public sealed record PendingClock(
    DateTimeOffset? At,
    PendingClockKind Kind,
    string Rule,
    string? Step = null,
    Guid? DocumentId = null,
    string? DocumentTitle = null,
    string? WorkflowInstanceId = null,
    string? DefinitionId = null,
    Guid? TaskId = null,
    string? Note = null)
{
    /// <summary>The reminder, escalation or progress report behind a task clock, for pages that phrase it in their reader's language.</summary>
    public Approvals.TaskClock? TaskClock { get; init; }

    /// <summary>For a deadline: the logins of the step's assignees.</summary>
    public IReadOnlyList<string> Assignees { get; init; } = [];
}

/// <summary>The clocks page and the clock sections of the document and task pages read pending clocks through this port.</summary>
public interface IClockBoard
{
    /// <summary>Every pending clock (workflow timers, open deadlines, timer triggers, recurring jobs), soonest first.</summary>
    Task<IReadOnlyList<PendingClock>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The pending clocks of a document's workflow instances, soonest first.</summary>
    Task<IReadOnlyList<PendingClock>> ForDocumentAsync(Guid documentId, CancellationToken cancellationToken);

    /// <summary>The pending reminders, escalations and time-out of the step a task belongs to, soonest first.</summary>
    Task<IReadOnlyList<PendingClock>> ForTaskAsync(Guid taskId, CancellationToken cancellationToken);

    /// <summary>Problems an administrator must fix: a year the holiday calendar does not cover, deadlines computed without it.</summary>
    Task<IReadOnlyList<string>> WarningsAsync(CancellationToken cancellationToken);
}
