using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Infrastructure.Notifications;

namespace SafetyWorkflows.Web.Pages.Shared;

/// <summary>The trail partial's model: the document's tasks, and what was sent about each (assignments, 催办, 督办, decisions).</summary>
public sealed record TrailView(IReadOnlyList<ApprovalTask> Tasks, IReadOnlyList<NotificationQueries.Line> Notifications)
{
    public static readonly TrailView Empty = new([], []);

    public static async Task<TrailView> LoadAsync(IApprovalTaskRepository tasks, NotificationQueries notifications, Guid documentId, CancellationToken cancellationToken)
    {
        var list = await tasks.ListForDocumentAsync(documentId, cancellationToken);
        return new TrailView(list, await notifications.ForDocumentAsync(documentId, list.Select(t => t.Id).ToList(), cancellationToken));
    }

    public IEnumerable<NotificationQueries.Line> For(ApprovalTask task) => Notifications.Where(n => n.Notification.TaskId == task.Id);

    /// <summary>Notices about the document rather than one task (e.g. published).</summary>
    public IEnumerable<NotificationQueries.Line> DocumentWide => Notifications.Where(n => n.Notification.TaskId is null || Tasks.All(t => t.Id != n.Notification.TaskId));
}
