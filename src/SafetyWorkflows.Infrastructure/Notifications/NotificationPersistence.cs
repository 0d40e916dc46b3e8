using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Notifications;

namespace SafetyWorkflows.Infrastructure.Notifications;

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.ToTable("NotificationDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Recipient).HasMaxLength(64);
        builder.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.Property(d => d.Language).HasMaxLength(8);
        builder.Property(d => d.Address).HasMaxLength(320);
        builder.Property(d => d.Subject).HasMaxLength(500);
        builder.Property(d => d.Revision).IsConcurrencyToken();
        builder.Ignore(d => d.MessageId);
        builder.HasIndex(d => d.NotificationId);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.Recipient, d.CreatedAt });

        // Infrastructure's own bookkeeping, not the domain's: when the outbox pump handed the delivery to a Hangfire job.
        builder.Property<DateTimeOffset?>(Scheduling.OutboxPump.HandedOffAt);
        builder.HasIndex(Scheduling.OutboxPump.HandedOffAt, nameof(NotificationDelivery.Status), nameof(NotificationDelivery.NextAttemptAt));
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.ToTable("NotificationPreferences");
        builder.HasKey(p => p.UserName);
        builder.Property(p => p.UserName).HasMaxLength(64);
        builder.Property(p => p.Language).HasMaxLength(8);
    }
}

/// <summary>
/// Gives every notification added in a unit of work its deliveries, one per channel the recipient gets, in the same
/// save (so the same transaction) as the business change. Nothing here talks to Hangfire: the committed rows are the
/// queue, and the outbox pump hands them to delivery jobs (ADR-012).
/// </summary>
internal sealed class NotificationDeliveryInterceptor(IOptions<GraphOptions> graph, IOptions<NotificationOptions> options) : ISaveChangesInterceptor
{
    /// <summary>The recipients' preferences, read by every save that adds a notification; compiled once per model.</summary>
    private static readonly Persistence.CompiledPerModel<Func<DbContext, List<string>, IAsyncEnumerable<NotificationPreference>>> PreferencesOf = new(() =>
        EF.CompileAsyncQuery((DbContext db, List<string> userNames) => db.Set<NotificationPreference>().AsNoTracking().Where(p => userNames.Contains(p.UserName))));

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not { } db)
        {
            return result;
        }

        var added = db.ChangeTracker.Entries<Notification>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return result;
        }

        var recipients = added.Select(n => n.Recipient).Distinct().ToList();
        var preferences = await PreferencesOf.For(db)(db, recipients).ToDictionaryAsync(p => p.UserName, StringComparer.Ordinal, cancellationToken);

        foreach (var notification in added)
        {
            var preference = preferences.GetValueOrDefault(notification.Recipient) ?? NotificationPreference.Default(notification.Recipient);
            db.Set<NotificationDelivery>().AddRange(Plan(notification, preference));
        }

        return result;
    }

    /// <summary>The channels a recipient gets: Graph mail and/or Teams as they chose, else the local outbox.</summary>
    private IEnumerable<NotificationDelivery> Plan(Notification notification, NotificationPreference preference)
    {
        if (!graph.Value.IsEnabled)
        {
            yield return new NotificationDelivery(notification, DeliveryChannel.LocalOutbox, false, notification.CreatedAt);
            yield break;
        }

        var any = false;
        if (preference.Mail)
        {
            any = true;
            yield return preference.DailyDigest
                ? new NotificationDelivery(notification, DeliveryChannel.Mail, true, NotificationDigest.NextDigestAt(notification.CreatedAt, options.Value.DigestTime))
                : new NotificationDelivery(notification, DeliveryChannel.Mail, false, notification.CreatedAt);
        }

        if (preference.Teams && graph.Value.EnableTeams)
        {
            any = true;
            yield return new NotificationDelivery(notification, DeliveryChannel.Teams, false, notification.CreatedAt);
        }

        if (!any)
        {
            // Someone who turned every Graph channel off still finds their messages on /outbox.
            yield return new NotificationDelivery(notification, DeliveryChannel.LocalOutbox, false, notification.CreatedAt);
        }
    }
}

/// <summary>Reads for the outbox page, the trail and the preferences page.</summary>
public sealed class NotificationQueries(Persistence.SafetyDbContext db)
{
    public sealed record Line(Notification Notification, IReadOnlyList<NotificationDelivery> Deliveries);

    /// <summary>The newest deliveries, everyone's (<paramref name="recipient"/> null, for administrators) or one official's.</summary>
    public async Task<(IReadOnlyList<NotificationDelivery> Items, int Total)> OutboxAsync(string? recipient, DeliveryStatus? status, int skip, int take, CancellationToken cancellationToken)
    {
        var query = db.Set<NotificationDelivery>().AsNoTracking();
        if (recipient is not null)
        {
            query = query.Where(d => d.Recipient == recipient);
        }

        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Channel).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<IReadOnlyDictionary<Guid, Notification>> NotificationsAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct().ToList();
        return await db.Set<Notification>().AsNoTracking().Where(n => list.Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);
    }

    /// <summary>What was sent about a document's tasks (assignments, 催办, 督办, decisions) and the document itself, oldest first.</summary>
    public async Task<IReadOnlyList<Line>> ForDocumentAsync(Guid documentId, IReadOnlyCollection<Guid> taskIds, CancellationToken cancellationToken)
    {
        var notifications = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.DocumentId == documentId || (n.TaskId != null && taskIds.Contains(n.TaskId.Value)))
            .OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);
        var ids = notifications.Select(n => n.Id).ToList();
        var deliveries = (await db.Set<NotificationDelivery>().AsNoTracking().Where(d => ids.Contains(d.NotificationId)).ToListAsync(cancellationToken))
            .ToLookup(d => d.NotificationId);
        return notifications.Select(n => new Line(n, deliveries[n.Id].OrderBy(d => d.Channel).ToList())).ToList();
    }

    public async Task<NotificationPreference> PreferenceAsync(string userName, CancellationToken cancellationToken) =>
        await db.Set<NotificationPreference>().AsNoTracking().FirstOrDefaultAsync(p => p.UserName == userName, cancellationToken)
        ?? NotificationPreference.Default(userName);

    public async Task SavePreferenceAsync(string userName, bool mail, bool teams, string? language, bool dailyDigest, CancellationToken cancellationToken)
    {
        var preference = await db.Set<NotificationPreference>().FirstOrDefaultAsync(p => p.UserName == userName, cancellationToken);
        if (preference is null)
        {
            preference = new NotificationPreference(userName);
            db.Add(preference);
        }

        preference.Change(mail, teams, language, dailyDigest);
        await db.SaveChangesAsync(cancellationToken);
    }
}
