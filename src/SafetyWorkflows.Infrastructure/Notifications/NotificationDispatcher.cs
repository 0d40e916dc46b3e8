using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Notifications;

/// <summary>
/// The Hangfire jobs that deliver the outbox. Arguments are ids only. A delivery is claimed (status <c>Sending</c>, one
/// more attempt, committed) before its channel is called, and its outcome is recorded after: a repeat of the job, the
/// sweep racing it or a second server finds it claimed or done and leaves it alone. Hangfire's own retries are off:
/// the row's schedule (Retry-After, back-off, bounded attempts) decides when to try again.
/// </summary>
public sealed class NotificationDispatcher(
    SafetyDbContext db,
    IEnumerable<INotificationChannel> channels,
    NotificationTemplates templates,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    ILibraryCatalog libraries,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger)
{
    public const string SweepJobId = "notification-sweep";

    /// <summary>
    /// The outbox pump's job: delivers a batch one by one. A delivery that throws does not stop the others; the job fails
    /// at the end, naming it, and the sweep picks it up as it would a lost job.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Notification deliveries ({0})")]
    public Task DeliverManyAsync(Guid[] deliveryIds, CancellationToken cancellationToken) =>
        Scheduling.JobBatch.RunAsync(deliveryIds, "deliveries", id => DeliverAsync(id, cancellationToken), db.ChangeTracker.Clear);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Notification delivery {0}")]
    public async Task DeliverAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.Set<NotificationDelivery>().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || delivery.Status is DeliveryStatus.Sent or DeliveryStatus.Failed || delivery.Digest)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (delivery.Status == DeliveryStatus.Pending && delivery.NextAttemptAt > now)
        {
            // Early: Hangfire keeps schedules to the second. Come back at the row's time.
            Schedule(delivery);
            return;
        }

        if (delivery.Status == DeliveryStatus.Sending && delivery.LastAttemptAt > now - options.Value.SendingLease)
        {
            // Another job is talking to the channel right now; only one left behind past the lease is reconciled.
            return;
        }

        var notification = await db.Set<Notification>().FirstAsync(n => n.Id == delivery.NotificationId, cancellationToken);
        var channel = channels.FirstOrDefault(c => c.Channel == delivery.Channel);
        OutgoingMessage message;
        try
        {
            message = await RenderAsync(notification, delivery, cancellationToken);
        }
        catch (Exception ex) when (ex is TemplateException or MissingAddressException)
        {
            delivery.Fail(ex.Message);
            await SettleAsync(notification, cancellationToken);
            return;
        }

        if (channel is null)
        {
            delivery.Fail($"channel {delivery.Channel} is not configured");
            await SettleAsync(notification, cancellationToken);
            return;
        }

        if (delivery.Status == DeliveryStatus.Sending)
        {
            // A job died between calling the channel and recording the outcome: ask the channel before sending again.
            if (await channel.WasSentAsync(message, cancellationToken) == true)
            {
                delivery.MarkSent(now, "已在发件箱中找到，未重发 (found in Sent Items after an interruption; not sent again)");
                await SettleAsync(notification, cancellationToken);
                return;
            }

            delivery.Retry(now, "发送中断，重新发送 (interrupted while sending; sending again)");
        }

        delivery.Claim(now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogDebug("Delivery {DeliveryId} was claimed by another job", deliveryId);
            return;
        }

        SendOutcome outcome;
        try
        {
            outcome = await channel.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = new SendOutcome.RetryLater(TimeSpan.Zero, ex.Message);
        }

        await RecordAsync(notification, delivery, outcome, cancellationToken);
    }

    /// <summary>
    /// Recurring: enqueues pending deliveries whose job was lost (due for longer than <c>SweepAfter</c>) and reconciles
    /// those left <c>Sending</c> past the lease (the process died mid-send).
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Notification sweep")]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lost = now - options.Value.SweepAfter;
        var stale = now - options.Value.SendingLease;
        var ids = await db.Set<NotificationDelivery>().AsNoTracking()
            .Where(d => !d.Digest && ((d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= lost) || (d.Status == DeliveryStatus.Sending && d.LastAttemptAt <= stale)))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            jobs.Enqueue<NotificationDispatcher>(d => d.DeliverAsync(id, CancellationToken.None));
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Notification sweep re-enqueued {Count} deliveries", ids.Count);
        }
    }

    private async Task RecordAsync(Notification notification, NotificationDelivery delivery, SendOutcome outcome, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        switch (outcome)
        {
            case SendOutcome.Sent sent:
                delivery.MarkSent(now, sent.Note);
                break;
            case SendOutcome.Failed failed:
                delivery.Fail(failed.Reason);
                break;
            case SendOutcome.RetryLater { After: var after } retry when after > TimeSpan.Zero:
                // Throttled (429) or unavailable (503) with Retry-After: wait as told, however often; never dropped.
                delivery.Throttle(now + after, retry.Reason);
                Schedule(delivery);
                break;
            case SendOutcome.RetryLater retry when delivery.CountedAttempts >= options.Value.MaxAttempts:
                delivery.Fail($"{delivery.CountedAttempts} 次尝试均失败，已放弃 (gave up after {delivery.CountedAttempts} attempts): {retry.Reason}");
                break;
            case SendOutcome.RetryLater retry:
                delivery.Retry(now + BackOff(delivery.CountedAttempts), retry.Reason);
                Schedule(delivery);
                break;
        }

        await SettleAsync(notification, cancellationToken);
    }

    private TimeSpan BackOff(int attempts)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        return delay < TimeSpan.FromHours(1) ? delay : TimeSpan.FromHours(1);
    }

    private void Schedule(NotificationDelivery delivery)
    {
        var id = delivery.Id;
        var delay = delivery.NextAttemptAt - clock.GetUtcNow();
        jobs.Schedule<NotificationDispatcher>(d => d.DeliverAsync(id, CancellationToken.None), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }

    private async Task SettleAsync(Notification notification, CancellationToken cancellationToken)
    {
        // Tracked rows come back as they are in memory (identity resolution), so the one just changed counts as changed.
        var all = await db.Set<NotificationDelivery>().Where(d => d.NotificationId == notification.Id).ToListAsync(cancellationToken);
        notification.Settle(all.Select(d => d.Status));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Renders the delivery from its kind's template in the recipient's language, with a link to the task or document,
    /// and keeps the rendering on the row (single deliveries here, the items of a digest in <see cref="NotificationDigest"/>).
    /// </summary>
    public async Task<OutgoingMessage> RenderAsync(Notification notification, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var recipient = await db.Officials.AsNoTracking().FirstOrDefaultAsync(o => o.UserName == notification.Recipient, cancellationToken);
        var preference = await db.Set<NotificationPreference>().AsNoTracking().FirstOrDefaultAsync(p => p.UserName == notification.Recipient, cancellationToken)
            ?? NotificationPreference.Default(notification.Recipient);
        var language = preference.Language;
        var address = recipient?.Email;
        if (delivery.Channel != DeliveryChannel.LocalOutbox && string.IsNullOrWhiteSpace(address))
        {
            throw new MissingAddressException($"{notification.Recipient} 没有邮箱地址，无法送达 (has no mail address in the directory): not retried");
        }

        var model = await ModelAsync(notification, recipient, language, cancellationToken);
        var rendered = await templates.RenderAsync(NotificationTemplates.FileKey(notification.Kind), language, model);
        delivery.Render(language, address, rendered.Subject, rendered.Text, rendered.Html);
        return new OutgoingMessage(delivery.Id, delivery.MessageId, recipient?.DisplayName ?? notification.Recipient, address ?? notification.Recipient, language, notification.Kind,
            rendered.Subject, rendered.Text, rendered.Html, (string)model["link"]!);
    }

    private async Task<Dictionary<string, object?>> ModelAsync(Notification notification, Official? recipient, string language, CancellationToken cancellationToken)
    {
        var task = notification.TaskId is { } taskId ? await db.Set<ApprovalTask>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken) : null;
        var documentId = notification.DocumentId ?? task?.DocumentId;
        var document = documentId is { } id ? await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken) : null;
        var library = document is null ? null : libraries.Find(document.LibraryKey);
        var english = language == NotificationPreference.English;
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');

        // The task page is its assignee's; anyone else (a submitter told of a decision, a leader told of an escalation) gets the document.
        var link = notification.Link is { } own ? baseUrl + own
            : task is not null && task.Assignee == notification.Recipient ? $"{baseUrl}/tasks/{task.Id}"
            : document is not null ? $"{baseUrl}/documents/{document.Id}"
            : task is not null ? $"{baseUrl}/tasks/{task.Id}"
            : $"{baseUrl}/inbox";
        var china = TimeZoneInfo.ConvertTime(notification.CreatedAt, Core.Calendar.WorkingCalendar.China);

        // People by name, never by login: the open assignees of the step (督办 names who is late) and who decided.
        var assignees = task is null ? [] : await db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => t.ActivityInstanceId == task.ActivityInstanceId && (t.Status == ApprovalTaskStatus.Open || t.Id == task.Id))
            .Select(t => t.Assignee).Distinct().ToListAsync(cancellationToken);
        var logins = assignees.Append(task?.DecidedBy ?? "").Where(l => l.Length > 0).Distinct().ToList();
        var names = await db.Officials.AsNoTracking().Where(o => logins.Contains(o.UserName)).ToDictionaryAsync(o => o.UserName, o => o.DisplayName, cancellationToken);
        string Name(string login) => names.GetValueOrDefault(login, login);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["recipient"] = new Dictionary<string, object?> { ["userName"] = notification.Recipient, ["name"] = recipient?.DisplayName ?? notification.Recipient },
            ["kind"] = notification.Kind.ToString(),
            ["subject"] = notification.Subject,
            ["body"] = notification.Body,
            ["title"] = document?.Title ?? task?.Step ?? notification.Subject,
            ["library"] = library is null ? "" : english ? library.NameEn ?? library.Name : library.Name,
            ["step"] = task?.Step ?? "",
            ["due"] = task?.DueAt is { } due ? TimeZoneInfo.ConvertTime(due, Core.Calendar.WorkingCalendar.China).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "",
            ["assignee"] = string.Join(english ? ", " : "、", assignees.Select(Name)),
            ["assignmentNote"] = task?.AssignmentNote ?? "",
            ["note"] = task?.AssignmentNote is { } note ? Core.Common.Bilingual.TrySplit(note, out var zhNote, out var enNote) ? english ? enNote : zhNote : note : "",
            ["outcome"] = Outcome(task?.Outcome, english),
            ["opinion"] = task?.Opinion ?? "",
            ["decidedBy"] = task?.DecidedBy is { } decider ? Name(decider) : "",
            ["status"] = document?.Status.ToString() ?? "",
            ["version"] = document?.CurrentVersion.ToString() ?? "",
            ["link"] = link,
            ["at"] = china.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        };
    }

    private static string Outcome(string? outcome, bool english) => TaskOutcomes.Words(outcome, english);
}

internal sealed class MissingAddressException(string message) : Exception(message);
