using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Outbox;

/// <summary>
/// The outbox: every delivery with what was rendered and its state (attempts, next attempt, last error). Administrators
/// see everyone's, and the failures with their reasons; an official sees their own.
/// </summary>
public sealed class OutboxModel(NotificationQueries queries) : PageModel
{
    public const int PageSize = 30;

    public IReadOnlyList<NotificationDelivery> Items { get; private set; } = [];

    public IReadOnlyDictionary<Guid, Notification> Notifications { get; private set; } = new Dictionary<Guid, Notification>();

    public int Total { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public DeliveryStatus? Status { get; private set; }

    public bool Everyone { get; private set; }

    public async Task OnGetAsync(int? page, string? status, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Everyone = actor.IsAdmin;
        PageNumber = Math.Max(1, page ?? 1);
        Status = Enum.TryParse<DeliveryStatus>(status, true, out var parsed) ? parsed : null;
        (Items, Total) = await queries.OutboxAsync(Everyone ? null : actor.UserName, Status, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        Notifications = await queries.NotificationsAsync(Items.Select(i => i.NotificationId), cancellationToken);
    }
}
