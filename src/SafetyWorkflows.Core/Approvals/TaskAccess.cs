using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Who may see a task, act on it, follow a document's chain, and receive a task: the one policy every task endpoint,
/// page and use case asks (as <see cref="DocumentAccess"/> is for documents). A refusal is always a
/// <see cref="ForbiddenException"/> (403), never a different answer per place.
/// </summary>
/// <remarks>
/// Seeing is wider than acting on purpose: the trail (流程轨迹) already shows every task of a document to whoever may see
/// the document, and the officials a notice links to a task (抄送, 督办, the submitter's result) must be able to open it.
/// Acting (decide, hand over, copy, attach evidence) is for the assignee alone, not even an administrator.
/// </remarks>
public static class TaskAccess
{
    public static Actor AsActor(Official official) =>
        new(official.UserName, official.DisplayName, official.Roles.ToHashSet(StringComparer.Ordinal), official.UnitId);

    /// <summary>
    /// The assignee; whoever may see the task's document; an administrator when the task has no document (a plain Elsa
    /// RunTask).
    /// </summary>
    public static bool CanSee(Actor actor, ApprovalTask task, Document? document) =>
        IsAssignee(actor, task) || (document is null ? actor.IsAdmin : DocumentAccess.CanSee(actor, document));

    public static void EnsureCanSee(Actor actor, ApprovalTask task, Document? document)
    {
        if (!CanSee(actor, task, document))
        {
            throw new ForbiddenException("无权查看该任务 (you may not see this task).");
        }
    }

    /// <summary>Deciding, handing over, copying and attaching evidence: the assignee only.</summary>
    public static bool CanAct(Actor actor, ApprovalTask task) => IsAssignee(actor, task);

    public static void EnsureCanAct(Actor actor, ApprovalTask task)
    {
        if (!CanAct(actor, task))
        {
            throw new ForbiddenException("该任务不由您办理 (this task is not yours to act on).");
        }
    }

    /// <summary>
    /// A document's chain (its trail and the evidence on its tasks): whoever may see the document, or has had one of its
    /// tasks (the reviewer of the next step reads what the unit submitted).
    /// </summary>
    public static bool CanFollow(Actor actor, Document document, IEnumerable<ApprovalTask> tasksOfDocument) =>
        DocumentAccess.CanSee(actor, document) || tasksOfDocument.Any(t => IsAssignee(actor, t));

    public static void EnsureCanFollow(Actor actor, Document document, IEnumerable<ApprovalTask> tasksOfDocument)
    {
        if (!CanFollow(actor, document, tasksOfDocument))
        {
            throw new ForbiddenException("无权查看该文档的流程和材料 (you may not see this document's chain and evidence).");
        }
    }

    /// <summary>
    /// Whether <paramref name="official"/> may receive a task on <paramref name="document"/> (any active official when
    /// there is none). A hand-over (转办, 加签, 委托, 抄送) gives the receiver the document through the task, so it may only
    /// go to an active official who could see that document anyway: a unit principal cannot pass a company's order to
    /// the head of another village.
    /// </summary>
    public static bool CanReceive(Official official, Document? document) =>
        official.IsActive && (document is null || DocumentAccess.CanSee(AsActor(official), document));

    private static bool IsAssignee(Actor actor, ApprovalTask task) => task.Assignee == actor.UserName;
}

/// <summary>
/// Loading a task (or a document's chain) the caller may see or act on: shared by every task use case, endpoint and page.
/// </summary>
public sealed class TaskLoader(IApprovalTaskRepository tasks, IDocumentRepository documents)
{
    /// <summary>The task and its document, for a caller who may see the task (404 when there is none, 403 otherwise).</summary>
    public async Task<(ApprovalTask Task, Document? Document)> LoadVisibleAsync(
        Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var task = await FindAsync(id, cancellationToken);
        var document = task.DocumentId is { } documentId
            ? await documents.FindAsync(documentId, cancellationToken)
            : null;
        TaskAccess.EnsureCanSee(actor, task, document);
        return (task, document);
    }

    /// <summary>The task, for its assignee (404 when there is none, 403 for anyone else).</summary>
    public async Task<ApprovalTask> LoadActionableAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var task = await FindAsync(id, cancellationToken);
        TaskAccess.EnsureCanAct(actor, task);
        return task;
    }

    /// <summary>The document whose chain (trail, evidence) the caller may follow (404 when none, 403 otherwise).</summary>
    public async Task<Document> LoadFollowableAsync(Guid documentId, Actor actor, CancellationToken cancellationToken)
    {
        var document = await documents.FindAsync(documentId, cancellationToken)
            ?? throw new NotFoundException($"文档 {documentId} 不存在 (document {documentId} not found).");
        if (!DocumentAccess.CanSee(actor, document))
        {
            var tasksOfDocument = await tasks.ListForDocumentAsync(documentId, cancellationToken);
            TaskAccess.EnsureCanFollow(actor, document, tasksOfDocument);
        }

        return document;
    }

    private async Task<ApprovalTask> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await tasks.FindAsync(id, cancellationToken)
            ?? throw new NotFoundException($"任务 {id} 不存在 (task {id} not found).");
}
