using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

/// <summary>
/// 修订: a record that has left Draft is copied to a new draft (same library, unit, metadata and current file) which goes
/// through the chain again; the record stays as it is. Whoever may upload for the document's unit may revise it, and a
/// record has at most one revision in progress (Draft or Pending) at a time.
/// </summary>
public sealed class ReviseDocument(IDocumentRepository documents, DocumentLoader loader, IAuditLog audit, TimeProvider clock)
{
    public async Task<Document> HandleAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var record = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        DocumentAccess.EnsureCanUpload(actor, record.UnitId, record.LibraryKey);
        var now = clock.GetUtcNow();
        var revision = record.Revise(actor.UserName, now);
        if ((await documents.ListRevisionsAsync(id, cancellationToken)).FirstOrDefault(r => r.Status is DocumentStatus.Draft or DocumentStatus.Pending) is { } open)
        {
            throw new DomainException($"该文档已有进行中的修订稿（{open.Id}，{open.Status}），请在修订稿上继续 " +
                $"(this document already has a revision in progress: {open.Id}, {open.Status}).");
        }

        documents.Add(revision);
        audit.Append(new AuditEntry(now, actor.UserName, AuditActions.Revise, record.Id, record.CurrentVersion.ToString(),
            $"修订“{record.Title}”版本 {record.CurrentVersion}：新草稿 {revision.Id}"));
        audit.Append(new AuditEntry(now, actor.UserName, AuditActions.Revise, revision.Id, revision.CurrentVersion.ToString(),
            $"修订稿，源自 {record.Id} 版本 {record.CurrentVersion} (sha256 {revision.CurrentVersionEntry.ContentHash})"));
        await documents.SaveChangesAsync(cancellationToken);
        return revision;
    }
}
