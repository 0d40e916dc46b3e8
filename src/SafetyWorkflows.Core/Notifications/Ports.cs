namespace SafetyWorkflows.Core.Notifications;

/// <summary>A rendered message on its way out through one channel; <c>Recipient</c> is the official's display name.</summary>
public sealed record OutgoingMessage(
    Guid DeliveryId, string MessageId, string Recipient, string Address, string Language, NotificationKind Kind,
    string Subject, string TextBody, string HtmlBody, string Link);

/// <summary>What a channel answered: sent, try again later (throttled, unavailable), or failed for good with the reason.</summary>
public abstract record SendOutcome
{
    public sealed record Sent(string? Note = null) : SendOutcome;

    public sealed record RetryLater(TimeSpan After, string Reason) : SendOutcome;

    public sealed record Failed(string Reason) : SendOutcome;
}

/// <summary>One delivery channel (Graph mail, Teams, the local outbox). Implemented in Infrastructure.</summary>
public interface INotificationChannel
{
    DeliveryChannel Channel { get; }

    Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// After a crash left a delivery in <see cref="DeliveryStatus.Sending"/>: did the channel already take it? <c>true</c>
    /// or <c>false</c> when it can tell, <c>null</c> when it cannot (then the delivery is sent again).
    /// </summary>
    Task<bool?> WasSentAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
