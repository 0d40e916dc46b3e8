using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>Evidence a unit attaches to a submission task (photos, the six-part plan, a revised plan) before it submits.</summary>
public sealed class TaskAttachment
{
    private TaskAttachment()
    {
    }

    public TaskAttachment(Guid taskId, StoredFile file, string uploadedBy, DateTimeOffset uploadedAt)
    {
        Id = Guid.NewGuid();
        TaskId = taskId;
        Sha256 = file.Sha256;
        FileName = file.FileName;
        ContentType = file.ContentType;
        Length = file.Length;
        UploadedBy = uploadedBy;
        UploadedAt = uploadedAt;
    }

    public Guid Id { get; private set; }

    public Guid TaskId { get; private set; }

    public string Sha256 { get; private set; } = "";

    public string FileName { get; private set; } = "";

    public string ContentType { get; private set; } = "";

    public long Length { get; private set; }

    public string UploadedBy { get; private set; } = "";

    public DateTimeOffset UploadedAt { get; private set; }
}

public interface ITaskAttachmentRepository
{
    void Add(TaskAttachment attachment);

    Task<IReadOnlyList<TaskAttachment>> ListAsync(Guid taskId, CancellationToken cancellationToken);
}

/// <summary>Attaches a file to an open task of the caller's (same file rules as documents).</summary>
public sealed class AttachTaskFile(
    IApprovalTaskRepository tasks, ITaskAttachmentRepository attachments, IncomingFiles incomingFiles, IAuditLog audit, IWorkflowUnitOfWork unitOfWork, TimeProvider clock)
{
    public async Task<TaskAttachment> HandleAsync(Guid taskId, string? fileName, Stream? content, Actor actor, CancellationToken cancellationToken)
    {
        var task = await tasks.FindAsync(taskId, cancellationToken) ?? throw new NotFoundException($"task {taskId} not found");
        if (task.Assignee != actor.UserName)
        {
            throw new ForbiddenException($"该任务由 {task.Assignee} 办理 (this task belongs to {task.Assignee}).");
        }

        if (!task.IsOpen)
        {
            throw new DomainException("任务已关闭，不能再上传材料 (the task is closed).");
        }

        await using var staged = await incomingFiles.StageAsync(fileName, content, cancellationToken);
        var now = clock.GetUtcNow();
        var attachment = new TaskAttachment(task.Id, staged.File, actor.UserName, now);
        await staged.CommitAsync(cancellationToken);
        attachments.Add(attachment);
        audit.Append(new AuditEntry(now, actor.UserName, "task.attach", task.DocumentId, null,
            $"{task.Step}：上传材料 {staged.File.FileName} (sha256 {staged.File.Sha256})"));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return attachment;
    }
}
