using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

/// <summary>Loading a document the caller may see: shared by every document use case.</summary>
public sealed class DocumentLoader(IDocumentRepository documents)
{
    public async Task<Document> LoadVisibleAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var document = await documents.FindAsync(id, cancellationToken)
            ?? throw new NotFoundException($"文档 {id} 不存在 (document {id} not found).");
        DocumentAccess.EnsureCanSee(actor, document);
        return document;
    }
}
