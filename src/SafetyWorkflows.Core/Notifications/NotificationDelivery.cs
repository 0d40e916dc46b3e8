using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Notifications;

/// <summary>Where a notification goes: the local outbox page (no Graph), Graph mail, or the Teams activity feed.</summary>
public enum DeliveryChannel
{
    LocalOutbox,
    Mail,
    Teams,
}

public enum DeliveryStatus
{
    /// <summary>Waiting for its job, due at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>Claimed by a job that is talking to the channel now; left behind by a crash, it is reconciled, not resent blindly.</summary>
    Sending,

    Sent,

    /// <summary>Given up for good: a permanent error, no address, or the attempts ran out. The reason is in <see cref="NotificationDelivery.LastError"/>.</summary>
    Failed,
}

/// <summary>
/// One notification on one channel: written with the notification (same transaction), delivered once by a job that
/// is idempotent by this row's id. The row keeps what was rendered and sent, each attempt and the last error.
/// </summary>
public sealed class NotificationDelivery
{
    private NotificationDelivery()
    {
    }

    public NotificationDelivery(Notification notification, DeliveryChannel channel, bool digest, DateTimeOffset dueAt)
    {
        Id = Guid.NewGuid();
        NotificationId = notification.Id;
        Recipient = notification.Recipient;
        Channel = channel;
        Digest = digest;
        CreatedAt = notification.CreatedAt;
        NextAttemptAt = dueAt;
        Status = DeliveryStatus.Pending;
    }

    public Guid Id { get; private set; }

    public Guid NotificationId { get; private set; }

    public string Recipient { get; private set; } = "";

    public DeliveryChannel Channel { get; private set; }

    public DeliveryStatus Status { get; private set; }

    /// <summary>Held back for the recipient's daily digest rather than sent on its own.</summary>
    public bool Digest { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Attempts the channel answered with Retry-After (429, 503): they do not count against the bound on attempts.</summary>
    public int Throttled { get; private set; }

    /// <summary>Attempts that count against the bound: transient errors without Retry-After.</summary>
    public int CountedAttempts => Attempts - Throttled;

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>The language it was rendered in (zh-CN or en).</summary>
    public string? Language { get; private set; }

    /// <summary>The mail address or Teams user it went to.</summary>
    public string? Address { get; private set; }

    public string? Subject { get; private set; }

    public string? TextBody { get; private set; }

    public string? HtmlBody { get; private set; }

    /// <summary>
    /// The stable <c>internetMessageId</c> every attempt carries (<c>&lt;delivery id@safetyworkflows&gt;</c>): a crash after
    /// Graph accepted the mail is reconciled by finding it in Sent Items, and Exchange drops a second copy with the same id.
    /// </summary>
    public string MessageId => $"<{Id:N}@safetyworkflows>";

    /// <summary>Optimistic concurrency token: two jobs racing for the same delivery, one claims it.</summary>
    public int Revision { get; private set; }

    public bool IsDue(DateTimeOffset now) => Status == DeliveryStatus.Pending && NextAttemptAt <= now;

    /// <summary>The job takes the delivery: one more attempt, recorded before the channel is called.</summary>
    public void Claim(DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Pending)
        {
            throw new DomainException($"delivery {Id} is {Status}, not pending");
        }

        Status = DeliveryStatus.Sending;
        Attempts++;
        LastAttemptAt = now;
        Revision++;
    }

    public void Render(string language, string? address, string subject, string textBody, string htmlBody)
    {
        Language = language;
        Address = address;
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
    }

    /// <summary>Done. The last error of an earlier attempt stays on record unless a note replaces it.</summary>
    public void MarkSent(DateTimeOffset now, string? note = null)
    {
        Status = DeliveryStatus.Sent;
        SentAt = now;
        LastError = note ?? LastError;
        Revision++;
    }

    /// <summary>Back to pending, due again at <paramref name="at"/> (throttling, a transient fault, a crash found by the sweep).</summary>
    public void Retry(DateTimeOffset at, string reason)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = at;
        LastError = reason;
        Revision++;
    }

    /// <summary>The channel said when to come back (Retry-After): pending again at <paramref name="at"/>, not counted.</summary>
    public void Throttle(DateTimeOffset at, string reason)
    {
        Throttled++;
        Retry(at, reason);
    }

    public void Fail(string reason)
    {
        Status = DeliveryStatus.Failed;
        LastError = reason;
        Revision++;
    }

    /// <summary>Moves a held-back digest item to the digest mail's time.</summary>
    public void DueAt(DateTimeOffset at)
    {
        NextAttemptAt = at;
        Revision++;
    }
}
