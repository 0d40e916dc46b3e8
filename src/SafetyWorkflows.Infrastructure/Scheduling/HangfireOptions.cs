using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>Section <c>Hangfire</c>: the job server that fires timers, reminders, escalations and recurring campaigns.</summary>
public sealed class HangfireOptions : IValidatableObject
{
    public const string Section = "Hangfire";

    /// <summary>How often scheduled jobs (timers, reminders) are moved to the queue; a few seconds so a reminder is not late.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the outbox pump hands due timers and pending notification deliveries to Hangfire jobs.</summary>
    public TimeSpan PumpInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an idle worker looks at the queue.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The SQLite file of the embedded job storage; relative paths resolve against <c>Storage:DataDirectory</c>.</summary>
    [Required]
    public string StorageFile { get; set; } = "hangfire.db";

    /// <summary>Runs the job server in this process (default). Off, jobs are still stored and scheduled but not run here.</summary>
    public bool ServerEnabled { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>At start, how long to wait for the SQLite storage's lock (a predecessor still shutting down) before refusing.</summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SchedulePollingInterval < TimeSpan.FromMilliseconds(100) || SchedulePollingInterval > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Hangfire:SchedulePollingInterval must be between 00:00:00.1 and 00:10:00.", [nameof(SchedulePollingInterval)]);
        }

        if (QueuePollInterval < TimeSpan.FromMilliseconds(100) || QueuePollInterval > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Hangfire:QueuePollInterval must be between 00:00:00.1 and 00:10:00.", [nameof(QueuePollInterval)]);
        }

        if (PumpInterval < TimeSpan.FromMilliseconds(100) || PumpInterval > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Hangfire:PumpInterval must be between 00:00:00.1 and 00:10:00.", [nameof(PumpInterval)]);
        }
    }

    public string ResolveStorageFile(string dataDirectory) => Path.IsPathRooted(StorageFile) ? StorageFile : Path.Combine(dataDirectory, StorageFile);
}
