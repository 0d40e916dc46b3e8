namespace SafetyWorkflows.Core.Approvals;

/// <summary>Tasks, written in the unit of work of the workflow run or decision that creates or closes them.</summary>
public interface IApprovalTaskRepository
{
    void Add(ApprovalTask task);

    Task<ApprovalTask?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalTask>> ListOpenByBookmarkAsync(string bookmarkId, CancellationToken cancellationToken);

    /// <summary>The tasks of one step (one activity run) of an instance.</summary>
    Task<IReadOnlyList<ApprovalTask>> ListForStepAsync(string workflowInstanceId, string activityInstanceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalTask>> ListForDocumentAsync(Guid documentId, CancellationToken cancellationToken);

    /// <summary>The open tasks of one kind on an instance (those added in this unit of work included).</summary>
    Task<IReadOnlyList<ApprovalTask>> ListOpenForInstanceAsync(string workflowInstanceId, TaskKind kind, CancellationToken cancellationToken);

    /// <summary>逾期: the documents among <paramref name="documentIds"/> with an open task past its deadline at <paramref name="now"/>.</summary>
    Task<IReadOnlySet<Guid>> OverdueDocumentsAsync(IReadOnlyCollection<Guid> documentIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The caller's tasks: open ones, or closed ones (已办), newest first.</summary>
    Task<(IReadOnlyList<ApprovalTask> Items, int TotalCount)> ListForAssigneeAsync(string userName, bool open, string? libraryKey, int skip, int take, CancellationToken cancellationToken);

    /// <summary>A decision command already applied: on which task, by whom, and what it answered (idempotency).</summary>
    Task<AppliedCommand?> FindCommandAsync(string commandId, CancellationToken cancellationToken);

    void RecordCommand(string commandId, Guid taskId, string by, string resultJson, DateTimeOffset at);

    /// <summary>Replaces what a command recorded in this unit of work answers (once its run showed how it went).</summary>
    void UpdateCommandResult(string commandId, string resultJson);
}

/// <summary>A decision command on record: it belongs to its task and its caller.</summary>
public sealed record AppliedCommand(string CommandId, Guid TaskId, string By, string ResultJson);

/// <summary>Turns a step's assignee entries (role keys, unit ids, user names) into officials' user names.</summary>
public interface IAssigneeResolver
{
    Task<IReadOnlyList<string>> ResolveAsync(IEnumerable<string> entries, CancellationToken cancellationToken);
}
