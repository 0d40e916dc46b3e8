using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Notifications;

/// <summary>
/// The daily digest: mail items held back for officials who chose one mail a day go out together at
/// <c>Notifications:DigestTime</c> (China time), one mail per official, with the same claim, reconcile and retry rules
/// as single deliveries. The mail's internetMessageId is that of the digest's first item.
/// </summary>
public sealed class NotificationDigest(
    SafetyDbContext db, NotificationDispatcher dispatcher, IEnumerable<INotificationChannel> channels, NotificationTemplates templates,
    IBackgroundJobClient jobs, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string JobId = "notification-digest";

    /// <summary>The next digest time (China) after <paramref name="at"/>.</summary>
    public static DateTimeOffset NextDigestAt(DateTimeOffset at, TimeOnly digestTime)
    {
        var local = TimeZoneInfo.ConvertTime(at, Core.Calendar.WorkingCalendar.China);
        var today = new DateTimeOffset(DateOnly.FromDateTime(local.DateTime).ToDateTime(digestTime), local.Offset);
        return today > local ? today : today.AddDays(1);
    }

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(300)]
    [JobDisplayName("Daily notification digest")]
    public async Task SendAllAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var recipients = await db.Set<NotificationDelivery>().AsNoTracking()
            .Where(d => d.Digest && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .Select(d => d.Recipient).Distinct().ToListAsync(cancellationToken);
        foreach (var recipient in recipients)
        {
            await SendAsync(recipient, cancellationToken);
        }
    }

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Notification digest for {0}")]
    public async Task SendAsync(string recipient, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stale = now - options.Value.SendingLease;
        var items = await db.Set<NotificationDelivery>()
            .Where(d => d.Digest && d.Recipient == recipient && ((d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LastAttemptAt <= stale)))
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        var channel = channels.FirstOrDefault(c => c.Channel == DeliveryChannel.Mail);
        if (items.Count == 0 || channel is null)
        {
            return;
        }

        var notifications = await db.Set<Notification>().Where(n => items.Select(i => i.NotificationId).Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);
        var rendered = new List<OutgoingMessage>();
        foreach (var item in items)
        {
            rendered.Add(await dispatcher.RenderAsync(notifications[item.NotificationId], item, cancellationToken));
        }

        var first = rendered[0];
        var model = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["recipient"] = new Dictionary<string, object?> { ["userName"] = recipient },
            ["count"] = rendered.Count,
            ["items"] = rendered.Select(r => new Dictionary<string, object?> { ["subject"] = r.Subject, ["text"] = r.TextBody, ["link"] = r.Link }).ToList(),
        };
        var digest = await templates.RenderAsync("digest", first.Language, model);
        var message = first with { Subject = digest.Subject, TextBody = digest.Text, HtmlBody = digest.Html, Kind = NotificationKind.Message };

        if (items.Any(i => i.Status == DeliveryStatus.Sending) && await channel.WasSentAsync(message, cancellationToken) == true)
        {
            items.ForEach(i => i.MarkSent(now, "已在发件箱中找到，未重发 (found in Sent Items after an interruption)"));
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        foreach (var item in items)
        {
            if (item.Status == DeliveryStatus.Sending)
            {
                item.Retry(now, "发送中断，重新发送 (interrupted while sending; sending again)");
            }

            item.Claim(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        var outcome = await channel.SendAsync(message, cancellationToken);
        foreach (var item in items)
        {
            switch (outcome)
            {
                case SendOutcome.Sent:
                    item.MarkSent(clock.GetUtcNow(), $"每日汇总 (daily digest of {items.Count})");
                    break;
                case SendOutcome.Failed failed:
                    item.Fail(failed.Reason);
                    break;
                case SendOutcome.RetryLater retry:
                    var after = retry.After > TimeSpan.Zero ? retry.After : TimeSpan.FromMinutes(5);
                    item.Throttle(clock.GetUtcNow() + after, retry.Reason);
                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (outcome is SendOutcome.RetryLater later)
        {
            jobs.Schedule<NotificationDigest>(d => d.SendAsync(recipient, CancellationToken.None), later.After > TimeSpan.Zero ? later.After : TimeSpan.FromMinutes(5));
        }
    }
}
