using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>What a piece of evidence is: the keys are a contract (API field <c>label</c>), the words are the office's.</summary>
public static class EvidenceLabels
{
    public const string Field = "label";
    public const string Plan = "plan";
    public const string Before = "before";
    public const string After = "after";
    public const string Other = "other";

    // 四不放过: an accident case closes only when each of these carries evidence.
    public const string Cause = "cause";
    public const string Accountability = "accountability";
    public const string Measures = "measures";
    public const string Education = "education";

    /// <summary>The labels of a rectification in the order a unit submits them: 整改方案, 整改前照片, 整改后照片, 其他.</summary>
    public static readonly IReadOnlyList<string> Rectification = [Plan, Before, After, Other];

    /// <summary>四不放过: cause found, people dealt with, measures taken, people educated (each with evidence), then 其他.</summary>
    public static readonly IReadOnlyList<string> FourNots = [Cause, Accountability, Measures, Education];

    /// <summary>Every label, in display order.</summary>
    public static readonly IReadOnlyList<string> All = [Plan, Before, After, Cause, Accountability, Measures, Education, Other];

    /// <summary>The labels a task's upload form offers: by its library.</summary>
    public static IReadOnlyList<string> For(string? libraryKey) => libraryKey switch
    {
        Libraries.RectificationOrders => Rectification,
        Libraries.AccidentReports => [.. FourNots, Other],
        _ => [Other],
    };

    /// <summary>Each label in Chinese and English: the one place the words live (the web's <c>UiText</c> reads them from here).</summary>
    public static readonly IReadOnlyDictionary<string, (string Zh, string En)> Labels = new Dictionary<string, (string, string)>
    {
        [Plan] = ("整改方案", "Rectification plan"),
        [Before] = ("整改前照片", "Photos before"),
        [After] = ("整改后照片", "Photos after"),
        [Cause] = ("事故原因查清", "Cause established"),
        [Accountability] = ("责任人员处理", "Those responsible dealt with"),
        [Measures] = ("整改措施落实", "Corrective measures taken"),
        [Education] = ("有关人员受到教育", "People educated"),
        [Other] = ("其他材料", "Other"),
    };

    /// <summary>The label as the office writes it (整改方案, 整改前照片, 整改后照片, 其他材料).</summary>
    public static string Words(string label) => Labels.TryGetValue(label, out var words) ? words.Zh : Labels[Other].Zh;

    /// <summary>The label given, or <see cref="Other"/> when none; an unknown label is bad input naming the field.</summary>
    public static string Parse(string? label) => string.IsNullOrWhiteSpace(label) ? Other
        : All.Contains(label.Trim()) ? label.Trim()
        : throw new InputValidationException(Field, $"材料类别须为 {string.Join("、", All)} 之一 (label must be one of {string.Join(", ", All)}).");
}

/// <summary>Evidence a unit attaches to a submission task (photos, the six-part plan, a revised plan) before it submits.</summary>
public sealed class TaskAttachment
{
    private TaskAttachment()
    {
    }

    public TaskAttachment(Guid taskId, StoredFile file, string uploadedBy, DateTimeOffset uploadedAt, string label = EvidenceLabels.Other)
    {
        Id = Guid.NewGuid();
        Label = label;
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

    /// <summary>One of <see cref="EvidenceLabels.All"/>: 整改方案, 整改前照片, 整改后照片 or 其他.</summary>
    public string Label { get; private set; } = EvidenceLabels.Other;
}

public interface ITaskAttachmentRepository
{
    void Add(TaskAttachment attachment);

    Task<IReadOnlyList<TaskAttachment>> ListAsync(Guid taskId, CancellationToken cancellationToken);

    /// <summary>Every file attached to any task of the document, oldest first: the evidence the next reviewer reads.</summary>
    Task<IReadOnlyList<TaskAttachment>> ListForDocumentAsync(Guid documentId, CancellationToken cancellationToken);

    Task<TaskAttachment?> FindAsync(Guid id, CancellationToken cancellationToken);
}

/// <summary>Attaches a file to an open task of the caller's (same file rules as documents).</summary>
public sealed class AttachTaskFile(
    TaskLoader loader, ITaskAttachmentRepository attachments, IncomingFiles incomingFiles, IAuditLog audit, IWorkflowUnitOfWork unitOfWork, TimeProvider clock)
{
    public async Task<TaskAttachment> HandleAsync(Guid taskId, string? fileName, Stream? content, Actor actor, CancellationToken cancellationToken, string? label = null)
    {
        var evidenceLabel = EvidenceLabels.Parse(label);
        var task = await loader.LoadActionableAsync(taskId, actor, cancellationToken);
        if (!task.IsOpen)
        {
            throw new DomainException("任务已关闭，不能再上传材料 (the task is closed).");
        }

        await using var staged = await incomingFiles.StageAsync(fileName, content, cancellationToken);
        var now = clock.GetUtcNow();
        var attachment = new TaskAttachment(task.Id, staged.File, actor.UserName, now, evidenceLabel);
        await staged.CommitAsync(cancellationToken);
        attachments.Add(attachment);
        audit.Append(new AuditEntry(now, actor.UserName, "task.attach", task.DocumentId, null,
            $"{task.Step}：上传{EvidenceLabels.Words(evidenceLabel)} {staged.File.FileName}（校验值 {staged.File.Sha256}）"));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return attachment;
    }
}

/// <summary>A piece of evidence and the bytes behind it.</summary>
public sealed record EvidenceContent(TaskAttachment Attachment, Stream Content);

/// <summary>
/// The evidence attached to a document's tasks, for whoever may follow the document's chain (<see cref="TaskAccess.CanFollow"/>:
/// the reviewer of the next step reads what the unit submitted).
/// </summary>
public sealed class ReadEvidence(TaskLoader loader, IApprovalTaskRepository tasks, ITaskAttachmentRepository attachments, IFileStore files)
{
    public async Task<IReadOnlyList<TaskAttachment>> ListAsync(Guid documentId, Actor actor, CancellationToken cancellationToken)
    {
        await loader.LoadFollowableAsync(documentId, actor, cancellationToken);
        return await attachments.ListForDocumentAsync(documentId, cancellationToken);
    }

    /// <summary>The files of a task without a document (e.g. the computed sheet on a quarterly statistics task), for whoever may see the task.</summary>
    public async Task<IReadOnlyList<TaskAttachment>> ListForTaskAsync(Guid taskId, Actor actor, CancellationToken cancellationToken)
    {
        await loader.LoadVisibleAsync(taskId, actor, cancellationToken);
        return await attachments.ListAsync(taskId, cancellationToken);
    }

    /// <summary>The bytes of one file of a task the caller may see.</summary>
    public async Task<EvidenceContent> OpenForTaskAsync(Guid taskId, Guid fileId, Actor actor, CancellationToken cancellationToken)
    {
        await loader.LoadVisibleAsync(taskId, actor, cancellationToken);
        var attachment = await attachments.FindAsync(fileId, cancellationToken);
        if (attachment is null || attachment.TaskId != taskId)
        {
            throw new NotFoundException($"材料 {fileId} 不存在 (file {fileId} not found on this task).");
        }

        var stream = files.OpenRead(attachment.Sha256)
            ?? throw new InvalidOperationException($"The file store has lost file {attachment.Sha256} of task {taskId}.");
        return new EvidenceContent(attachment, stream);
    }

    public async Task<EvidenceContent> OpenAsync(Guid documentId, Guid fileId, Actor actor, CancellationToken cancellationToken)
    {
        await loader.LoadFollowableAsync(documentId, actor, cancellationToken);
        var attachment = await attachments.FindAsync(fileId, cancellationToken);
        if (attachment is null || await tasks.FindAsync(attachment.TaskId, cancellationToken) is not { } task || task.DocumentId != documentId)
        {
            throw new NotFoundException($"材料 {fileId} 不存在 (evidence {fileId} not found on this document).");
        }

        var stream = files.OpenRead(attachment.Sha256)
            ?? throw new InvalidOperationException($"The file store has lost evidence {attachment.Sha256} of document {documentId}.");
        return new EvidenceContent(attachment, stream);
    }
}
