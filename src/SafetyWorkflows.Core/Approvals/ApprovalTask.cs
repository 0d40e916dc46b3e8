using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Approvals;

public enum TaskKind
{
    Approval,
    Signature,
    Submission,

    /// <summary>流程异常: a chain stopped on a fault; the safety head or an administrator retries it once the cause is fixed.</summary>
    Incident,
}

public enum ApprovalTaskStatus
{
    Open,
    Completed,
    Cancelled,
}

/// <summary>How a task came to its assignee when someone handed it over, and so where it goes after they act.</summary>
public enum Handover
{
    /// <summary>Assigned by the workflow step (or reassigned, 转办): the decision is final.</summary>
    None,

    /// <summary>委托: the delegate's decision is advice; the task then comes back to <see cref="ApprovalTask.ReturnTo"/>.</summary>
    Delegated,

    /// <summary>加签 before: the added approver decides first; an approval hands the task back, anything else decides the step.</summary>
    AddedBefore,
}

/// <summary>
/// A piece of work for one official inside a workflow step: approve, sign or submit. It is answered once, by its
/// assignee, with a decision and an opinion; a workflow step may own several (会签, 或签, M of N).
/// </summary>
public sealed class ApprovalTask
{
    private ApprovalTask()
    {
    }

    public ApprovalTask(
        Guid id,
        Guid? documentId, string workflowInstanceId, string activityId, string activityInstanceId, string bookmarkId,
        string step, TaskKind kind, string assignee, string submittedBy, int order, DateTimeOffset createdAt, DateTimeOffset? dueAt)
    {
        Id = id;
        DocumentId = documentId;
        WorkflowInstanceId = workflowInstanceId;
        ActivityId = activityId;
        ActivityInstanceId = activityInstanceId;
        BookmarkId = bookmarkId;
        Step = step;
        Kind = kind;
        Assignee = assignee;
        SubmittedBy = submittedBy;
        Order = order;
        CreatedAt = createdAt;
        DueAt = dueAt;
        Status = ApprovalTaskStatus.Open;
    }

    public Guid Id { get; private set; }

    public Guid? DocumentId { get; private set; }

    public string WorkflowInstanceId { get; private set; } = "";

    public string ActivityId { get; private set; } = "";

    public string ActivityInstanceId { get; private set; } = "";

    /// <summary>The bookmark the decision resumes.</summary>
    public string BookmarkId { get; private set; } = "";

    /// <summary>The step's name as officials read it (e.g. 安办负责人审核).</summary>
    public string Step { get; private set; } = "";

    public TaskKind Kind { get; private set; }

    public string Assignee { get; private set; } = "";

    /// <summary>Who submitted the document: never a valid assignee (separation of duties).</summary>
    public string SubmittedBy { get; private set; } = "";

    /// <summary>Position within its step (serial approval order).</summary>
    public int Order { get; private set; }

    public ApprovalTaskStatus Status { get; private set; }

    public string? Action { get; private set; }

    public string? Outcome { get; private set; }

    public string? Opinion { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public Handover Handover { get; private set; }

    /// <summary>Who gets the task back after this assignee acts (委托, 加签 before).</summary>
    public string? ReturnTo { get; private set; }

    /// <summary>Set when the deadline could not be computed on the official calendar (an uncovered year).</summary>
    public string? DueNote { get; init; }

    /// <summary>Set when the step's own assignees resolved to nobody and the task went to the safety head instead (see <see cref="AssigneeFallback"/>).</summary>
    public string? AssignmentNote { get; init; }

    /// <summary>The library of the task's document, kept on the task so that the inbox filters without a join.</summary>
    public string? LibraryKey { get; init; }

    /// <summary>Custom outcomes the step offers besides approve/reject/send back (e.g. 附条件同意), chosen with <c>approve</c> + <c>outcome</c>.</summary>
    public List<string> CustomOutcomes { get; init; } = [];

    /// <summary>The workflow input key the decision is resumed with: <c>TaskDecision</c> for our steps, <c>RunTaskInput</c> for Elsa's RunTask.</summary>
    public string ResumeInputKey { get; init; } = RequestApproval.DecisionInputKey;

    /// <summary>Optimistic concurrency token.</summary>
    public int Revision { get; private set; }

    public bool IsOpen => Status == ApprovalTaskStatus.Open;

    /// <summary>The earlier steps (activity ids) this step may send back to: its outcomes <c>SentBack:&lt;step id&gt;</c>.</summary>
    public IEnumerable<string> SendBackTargets => CustomOutcomes
        .Where(o => o.StartsWith(TaskOutcomes.SendBackPrefix, StringComparison.Ordinal)).Select(o => o[TaskOutcomes.SendBackPrefix.Length..]);

    /// <summary>The step's own outcomes besides approve (e.g. 附条件同意), chosen with <c>approve</c>.</summary>
    public IEnumerable<string> OwnOutcomes => CustomOutcomes.Where(o => !o.StartsWith(TaskOutcomes.SendBackPrefix, StringComparison.Ordinal));

    /// <summary>Records the assignee's decision. Throws when the task is closed (409) or the caller may not decide it (403).</summary>
    public void Decide(string by, string action, string outcome, string? opinion, DateTimeOffset at)
    {
        if (!IsOpen)
        {
            throw new DomainException($"任务已{(Status == ApprovalTaskStatus.Completed ? "办结" : "取消")}，不能再处理 (the task is {Status.ToString().ToLowerInvariant()}).");
        }

        if (by == SubmittedBy)
        {
            throw new ForbiddenException("提交人不能审批自己提交的文档 (the submitter may not decide on their own document).");
        }

        if (by != Assignee)
        {
            throw new ForbiddenException($"该任务由 {Assignee} 办理 (this task belongs to {Assignee}).");
        }

        Status = ApprovalTaskStatus.Completed;
        Action = action;
        Outcome = outcome;
        Opinion = opinion;
        DecidedBy = by;
        ClosedAt = at;
        Revision++;
    }

    /// <summary>
    /// Hands the task to <paramref name="to"/> (转办, 委托, 加签): this task closes with the action recorded, and the
    /// returned task, for the same step and bookmark, is the one to act on now.
    /// </summary>
    public ApprovalTask PassTo(string by, string action, string to, Handover handover, string? returnTo, string? opinion, DateTimeOffset at)
    {
        Decide(by, action, action, opinion, at);
        if (to == SubmittedBy)
        {
            throw new ForbiddenException("不能转交给提交人 (a task cannot go to the document's submitter).");
        }

        return new ApprovalTask(Guid.NewGuid(), DocumentId, WorkflowInstanceId, ActivityId, ActivityInstanceId, BookmarkId, Step, Kind, to, SubmittedBy, Order, at, DueAt)
        {
            Handover = handover,
            ReturnTo = returnTo,
            ResumeInputKey = ResumeInputKey,
            CustomOutcomes = CustomOutcomes,
            LibraryKey = LibraryKey,
        };
    }

    /// <summary>The task that comes back to <see cref="ReturnTo"/> after a delegate or an added approver acted.</summary>
    public ApprovalTask ComeBack(DateTimeOffset at) =>
        new(Guid.NewGuid(), DocumentId, WorkflowInstanceId, ActivityId, ActivityInstanceId, BookmarkId, Step, Kind,
            ReturnTo ?? throw new InvalidOperationException("the task has nobody to return to"), SubmittedBy, Order, at, DueAt)
        {
            ResumeInputKey = ResumeInputKey,
            CustomOutcomes = CustomOutcomes,
            LibraryKey = LibraryKey,
        };

    /// <summary>Closes an open task nobody needs any more (the step decided, the document was withdrawn).</summary>
    public void Cancel(DateTimeOffset at)
    {
        if (!IsOpen)
        {
            return;
        }

        Status = ApprovalTaskStatus.Cancelled;
        ClosedAt = at;
        Revision++;
    }
}
