using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

/// <summary>Reads and writes the outbox of an app under test the way its own code does (a scope, the real DbContext).</summary>
public sealed class NotificationProbe(AppFactory app, FakeGraph? fake = null)
{
    /// <summary>Writes notifications through the outbox port and saves, as a use case would (deliveries are planned in the same save).</summary>
    public async Task<IReadOnlyList<Notification>> AddAsync(params Notification[] notifications)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<INotificationOutbox>();
        foreach (var notification in notifications)
        {
            outbox.Add(notification);
        }

        await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().SaveChangesAsync();
        return notifications;
    }

    public async Task<List<NotificationDelivery>> DeliveriesAsync(Guid notificationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<NotificationDelivery>().AsNoTracking()
            .Where(d => d.NotificationId == notificationId).OrderBy(d => d.Channel).ToListAsync();
    }

    public async Task<List<(Notification Notification, NotificationDelivery Delivery)>> ForRecipientAsync(string recipient)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var deliveries = await db.Set<NotificationDelivery>().AsNoTracking().Where(d => d.Recipient == recipient).ToListAsync();
        var ids = deliveries.Select(d => d.NotificationId).ToList();
        var notifications = await db.Set<Notification>().AsNoTracking().Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id);
        return deliveries.Select(d => (notifications[d.NotificationId], d)).OrderBy(x => x.Item1.CreatedAt).ToList();
    }

    /// <summary>Waits until the delivery reaches a final state (the Hangfire server runs the jobs) and returns it.</summary>
    public async Task<NotificationDelivery> SettledAsync(Guid notificationId, DeliveryChannel channel, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var delivery = (await DeliveriesAsync(notificationId)).SingleOrDefault(d => d.Channel == channel);
            if (delivery is { Status: DeliveryStatus.Sent or DeliveryStatus.Failed })
            {
                return delivery;
            }

            if (DateTime.UtcNow > deadline || fake?.Graph.Faults.IsEmpty == false)
            {
                throw new TimeoutException($"fake faults: {string.Join("; ", fake?.Graph.Faults ?? [])}; requests: {string.Join("\n", fake?.Graph.Requests.Select(r => r.Body) ?? [])}; delivery of {notificationId} on {channel} did not settle: {delivery?.Status} after {delivery?.Attempts} attempts, {delivery?.LastError}");
            }

            await Task.Delay(200);
        }
    }

    public async Task SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().SweepAsync(CancellationToken.None);
    }

    public async Task SendDigestsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationDigest>().SendAllAsync(CancellationToken.None);
    }

    public async Task PreferAsync(string userName, bool mail, bool teams, string language, bool digest = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationQueries>().SavePreferenceAsync(userName, mail, teams, language, digest, CancellationToken.None);
    }
}
