using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

public sealed record CheckInCommand(Guid DocumentId, string? FileName, Stream? Content, string? Comment);

/// <summary>Check-out, check-in, discard and restore: the edit cycle of a document, each with its audit entry.</summary>
public sealed class ChangeDocument(
    IDocumentRepository documents,
    DocumentLoader loader,
    IAuditLog audit,
    IncomingFiles incomingFiles,
    IOrganisationDirectory directory,
    TimeProvider clock)
{

    public async Task<Document> CheckOutAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        DocumentAccess.EnsureCanEdit(actor, document);
        var now = clock.GetUtcNow();
        document.CheckOut(actor.UserName, now);
        return await SaveAsync(document, now, actor, AuditActions.CheckOut, $"锁定修改《{document.Title}》", cancellationToken);
    }

    public async Task<Document> CheckInAsync(CheckInCommand command, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(command.DocumentId, actor, cancellationToken);
        DocumentAccess.EnsureCanEdit(actor, document);
        var comment = command.Comment?.Trim();
        if (comment is { Length: > 1000 })
        {
            throw new InputValidationException("comment", "备注不能超过 1000 字 (comment is longer than 1000 characters).");
        }

        if (document.CheckedOutBy is { } holder && holder != actor.UserName)
        {
            throw new CheckedOutByOtherException(holder);
        }

        await using var staged = await incomingFiles.StageAsync(command.FileName, command.Content, cancellationToken);
        var now = clock.GetUtcNow();
        var version = document.CheckIn(actor.UserName, staged.File, comment, now);
        await staged.CommitAsync(cancellationToken);
        return await SaveAsync(document, now, actor, AuditActions.CheckIn,
            $"上传修改稿《{document.Title}》{version.Number}（文件 {staged.File.FileName}，校验值 {staged.File.Sha256}）{(string.IsNullOrEmpty(comment) ? "" : "：" + comment)}",
            cancellationToken);
    }

    public async Task<Document> DiscardCheckOutAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        DocumentAccess.EnsureCanEdit(actor, document);
        var now = clock.GetUtcNow();
        var holder = document.DiscardCheckOut(actor.UserName, actor.IsAdmin, now);
        return await SaveAsync(document, now, actor, AuditActions.DiscardCheckOut, $"取消锁定《{document.Title}》（原由 {await directory.DisplayNameAsync(holder, cancellationToken)} 锁定）", cancellationToken);
    }

    public async Task<Document> RestoreAsync(Guid id, string versionLabel, Actor actor, CancellationToken cancellationToken)
    {
        if (!VersionNumber.TryParse(versionLabel, out var number))
        {
            throw new InputValidationException("version", $"版本号“{versionLabel}”格式不对，应为 主版本.次版本 (version must look like 0.2).");
        }

        var document = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        DocumentAccess.EnsureCanEdit(actor, document);
        var now = clock.GetUtcNow();
        var version = document.RestoreVersion(number, actor.UserName, now);
        return await SaveAsync(document, now, actor, AuditActions.Restore, $"恢复《{document.Title}》版本 {number} 为 {version.Number}", cancellationToken);
    }

    private async Task<Document> SaveAsync(Document document, DateTimeOffset now, Actor actor, string action, string summary, CancellationToken cancellationToken)
    {
        audit.Append(new AuditEntry(now, actor.UserName, action, document.Id, document.CurrentVersion.ToString(), summary));
        await documents.SaveChangesAsync(cancellationToken);
        return document;
    }
}
