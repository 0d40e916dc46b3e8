namespace SafetyWorkflows.Core.Notifications;

/// <summary>What a notification is about; each kind has its own template in the delivery issue.</summary>
public enum NotificationKind
{
    TaskAssigned,
    Reminder,
    Escalation,
    Decided,
    DocumentPublished,
    Message,
    CampaignOpened,

    /// <summary>流程异常: a workflow stopped on an incident and waits for a retry.</summary>
    WorkflowStopped,
}

public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// One message for one official, written to the outbox in the same transaction as the change it reports; a delivery job
/// sends it later (Graph mail/Teams, or the local outbox page). Its id makes delivery idempotent.
/// </summary>
public sealed class Notification
{
    private Notification()
    {
    }

    public Notification(string recipient, NotificationKind kind, string subject, string body, Guid? documentId, Guid? taskId, DateTimeOffset createdAt)
    {
        Id = Guid.NewGuid();
        Recipient = recipient;
        Kind = kind;
        Subject = subject;
        Body = body;
        DocumentId = documentId;
        TaskId = taskId;
        CreatedAt = createdAt;
        Status = NotificationStatus.Pending;
    }

    public Guid Id { get; private set; }

    public string Recipient { get; private set; } = "";

    public NotificationKind Kind { get; private set; }

    public string Subject { get; private set; } = "";

    public string Body { get; private set; } = "";

    public Guid? DocumentId { get; private set; }

    public Guid? TaskId { get; private set; }

    /// <summary>A path the message links to instead of the task page: a signed task link (<c>/t/{token}</c>) for a unit's people.</summary>
    public string? Link { get; init; }

    public DateTimeOffset CreatedAt { get; private set; }

    public NotificationStatus Status { get; private set; }

    /// <summary>Sums up its deliveries: sent once every channel has sent, failed once one has failed for good.</summary>
    public void Settle(IEnumerable<DeliveryStatus> deliveries)
    {
        var all = deliveries.ToList();
        Status = all.Contains(DeliveryStatus.Failed) ? NotificationStatus.Failed
            : all.Count > 0 && all.TrueForAll(d => d == DeliveryStatus.Sent) ? NotificationStatus.Sent
            : NotificationStatus.Pending;
    }
}

/// <summary>The outbox: notifications join the current unit of work.</summary>
public interface INotificationOutbox
{
    void Add(Notification notification);
}
