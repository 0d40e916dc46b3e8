using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Infrastructure.Notifications;

/// <summary>Section <c>Notifications</c>: how deliveries are rendered, retried and swept.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "Notifications";

    /// <summary>The address officials reach the app at; every message links to <c>{PublicBaseUrl}/tasks/{id}</c>.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>The Liquid templates folder (relative to the app's base directory, where the build copies <c>templates/</c>).</summary>
    [Required]
    public string TemplatesDirectory { get; set; } = "templates";

    /// <summary>Attempts that end in a transient error before a delivery fails; throttling with Retry-After is not counted.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first back-off after a transient error without Retry-After; it doubles per attempt, up to an hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A pending delivery this far past due has lost its job (a crash between commit and enqueue): the sweep enqueues it again.</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A delivery left "sending" this long was interrupted: the sweep reconciles it with the channel.</summary>
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When the daily digest goes out, China time (HH:mm).</summary>
    public TimeOnly DigestTime { get; set; } = new(8, 0);

    public string ResolveTemplatesDirectory() =>
        Path.IsPathRooted(TemplatesDirectory) ? TemplatesDirectory : Path.Combine(AppContext.BaseDirectory, TemplatesDirectory);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"Notifications:PublicBaseUrl must be an absolute http(s) URL (got '{PublicBaseUrl}').", [nameof(PublicBaseUrl)]);
        }

        if (RetryDelay < TimeSpan.FromMilliseconds(100) || RetryDelay > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Notifications:RetryDelay must be between 00:00:00.1 and 01:00:00.", [nameof(RetryDelay)]);
        }

        if (SweepAfter < TimeSpan.FromSeconds(1) || SendingLease < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Notifications:SweepAfter and Notifications:SendingLease must be at least a second.", [nameof(SweepAfter), nameof(SendingLease)]);
        }

        if (!Directory.Exists(ResolveTemplatesDirectory()))
        {
            yield return new ValidationResult($"Notifications:TemplatesDirectory '{ResolveTemplatesDirectory()}' does not exist.", [nameof(TemplatesDirectory)]);
        }
    }
}
