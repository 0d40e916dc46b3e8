using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Submit: the document goes Pending and its library's published chain starts with the document as input. The status,
/// the audit entry, the instance and the first tasks are committed in one transaction.
/// </summary>
public sealed class SubmitDocument(DocumentLoader loader, IAuditLog audit, WorkflowHost host, ILibraryCatalog libraries, TimeProvider clock)
{
    public async Task<(Document Document, string WorkflowInstanceId)> HandleAsync(Guid documentId, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(documentId, actor, cancellationToken);
        DocumentAccess.EnsureCanEdit(actor, document);
        if (document.CheckedOutBy is { } holder)
        {
            throw new CheckedOutByOtherException(holder);
        }

        var now = clock.GetUtcNow();
        document.Submit(now);
        audit.Append(new AuditEntry(now, actor.UserName, AuditActions.StatusChange, document.Id, document.CurrentVersion.ToString(),
            $"提交《{document.Title}》审批"));
        var request = new StartWorkflowRequest
        {
            CommitOnlyIfNotFaulted = true,
            CorrelationId = document.Id.ToString(),
            Input = new JsonObject
            {
                [RequestApproval.DocumentIdInput] = document.Id.ToString(),
                [RequestApproval.SubmittedByInput] = actor.UserName,
                ["library"] = document.LibraryKey,
                ["unitId"] = document.UnitId,
                ["title"] = document.Title,
                ["metadata"] = JsonNode.Parse(document.MetadataJson),
            },
        };
        RunResult result;
        try
        {
            result = await host.StartAsync(libraries.Get(document.LibraryKey).ChainId, request, null, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            // The library names a chain nobody has published (yet): nothing was committed, and the administrator can fix it.
            throw new DomainException($"文档库的审批流程“{libraries.Get(document.LibraryKey).ChainId}”尚未发布，请联系系统管理员 (the library's approval chain is not published).");
        }
        catch (WorkflowFaultedException ex)
        {
            // Nothing was committed: the document stays as it was.
            throw new DomainException($"审批流程无法启动：{string.Join("; ", ex.State.Incidents.Select(i => i.Message))}");
        }

        return (document, result.State.Id);
    }
}
