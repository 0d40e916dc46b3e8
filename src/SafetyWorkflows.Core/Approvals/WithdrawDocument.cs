using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>撤回: the submitter takes the document back while nobody has acted on it; the chain is cancelled and the document is a draft again.</summary>
public sealed class WithdrawDocument(DocumentLoader loader, IApprovalTaskRepository tasks, IAuditLog audit, WorkflowHost host, TimeProvider clock)
{
    public async Task<Document> HandleAsync(Guid documentId, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(documentId, actor, cancellationToken);
        if (document.Status != DocumentStatus.Pending)
        {
            throw new DomainException($"只有审批中的文档可以撤回 (only a Pending document can be withdrawn; it is {document.Status}).");
        }

        var all = await tasks.ListForDocumentAsync(documentId, cancellationToken);
        var current = all.Where(t => t.IsOpen).Select(t => t.WorkflowInstanceId).Distinct().ToList();
        if (current.Count != 1)
        {
            throw new DomainException("找不到进行中的审批流程 (no running approval to withdraw).");
        }

        var instanceId = current[0];
        var ofInstance = all.Where(t => t.WorkflowInstanceId == instanceId).ToList();
        if (ofInstance[0].SubmittedBy != actor.UserName)
        {
            throw new ForbiddenException("只有提交人可以撤回 (only the submitter may withdraw).");
        }

        if (ofInstance.Any(t => t.Status == ApprovalTaskStatus.Completed))
        {
            throw new DomainException("已有人办理，不能撤回 (someone has already acted on it).");
        }

        var now = clock.GetUtcNow();
        foreach (var open in ofInstance)
        {
            (await tasks.FindAsync(open.Id, cancellationToken))!.Cancel(now);
        }

        document.Withdraw(now);
        audit.Append(new AuditEntry(now, actor.UserName, AuditActions.StatusChange, document.Id, document.CurrentVersion.ToString(), $"撤回《{document.Title}》"));
        await host.CancelAsync(instanceId, cancellationToken);
        return document;
    }
}
