using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Core.Incidents;

/// <summary>What a retry did: whether the workflow carries on, and the incidents still open (a new fault, or others).</summary>
public sealed record RetryOutcome(
    bool Resumed, string SubStatus, IReadOnlyList<OpenIncident> Incidents, IReadOnlyList<string> Notified);

/// <summary>
/// 重试: once the cause of a stop is fixed (someone added to a role, a definition corrected and published), the head of
/// the safety office or an administrator retries the stopped workflow from the failed step (Elsa's retry: the faulted
/// activity is scheduled again, on the newest published version where it can be). On success the incident and its
/// 流程异常 tasks close in the same transaction as the run; a new fault opens a new incident instead.
/// </summary>
public sealed class RetryIncident(
    WorkflowHost host,
    IWorkflowInstanceStore instances,
    QueryIncidents query,
    IncidentRetries retries,
    IOrganisationDirectory directory,
    IAuditLog audit,
    TimeProvider clock)
{
    /// <summary>Only the head of the safety office and administrators retry stopped workflows.</summary>
    public static bool MayRetry(Actor actor) => actor.IsAdmin || actor.HasRole(Roles.SafetyHead);

    /// <summary>Retries the incident <paramref name="incidentId"/> of a workflow of the document (the document's API).</summary>
    public async Task<RetryOutcome> HandleForDocumentAsync(
        Guid documentId, string incidentId, Actor actor, CancellationToken cancellationToken)
    {
        EnsureMayRetry(actor);
        var open = await query.ForDocumentAsync(documentId, cancellationToken);
        var incident = open.FirstOrDefault(i => i.Id == incidentId) ?? throw new DomainException(
            $"该流程异常已处理或不存在 (document {documentId} has no open incident {incidentId}).");
        return await HandleAsync(incident.WorkflowInstanceId, [incident.ActivityId], actor, cancellationToken);
    }

    /// <summary>Retries one incident of an instance (the pages' 重试 button).</summary>
    public async Task<RetryOutcome> HandleIncidentAsync(
        string workflowInstanceId, string incidentId, Actor actor, CancellationToken cancellationToken)
    {
        EnsureMayRetry(actor);
        var open = await query.ForInstanceAsync(workflowInstanceId, cancellationToken);
        var incident = open.FirstOrDefault(i => i.Id == incidentId) ?? throw new DomainException(
            $"该流程异常已处理或不存在 (workflow instance {workflowInstanceId} has no open incident {incidentId}).");
        return await HandleAsync(workflowInstanceId, [incident.ActivityId], actor, cancellationToken);
    }

    /// <summary>Retries the faulted activities of an instance: all of them, or those of <paramref name="activityIds"/>.</summary>
    public async Task<RetryOutcome> HandleAsync(
        string workflowInstanceId, IReadOnlyCollection<string>? activityIds, Actor actor, CancellationToken cancellationToken)
    {
        EnsureMayRetry(actor);
        var before = await query.ForInstanceAsync(workflowInstanceId, cancellationToken);
        if (before.Count == 0)
        {
            throw await instances.FindAsync(workflowInstanceId, cancellationToken) is null
                ? new NotFoundException($"流程实例 {workflowInstanceId} 不存在 (workflow instance {workflowInstanceId} not found).")
                : new DomainException(
                    $"该流程没有待处理的异常，无需重试 (workflow instance {workflowInstanceId} has no open incident to retry).");
        }

        var retried = activityIds is { Count: > 0 } ? before.FirstOrDefault(i => activityIds.Contains(i.ActivityId)) : null;
        var step = (retried ?? before[0]).Step;
        audit.Append(new AuditEntry(
            clock.GetUtcNow(), actor.UserName, AuditActions.WorkflowIncident, before[0].DocumentId, null, $"重试中断于“{step}”环节的流程"));
        string subStatus;
        using (retries.Begin(actor.UserName))
        {
            var result = await host.RetryAsync(workflowInstanceId, activityIds, cancellationToken);
            subStatus = result.State.SubStatus.ToString();
        }

        var after = await query.ForInstanceAsync(workflowInstanceId, cancellationToken);
        var notified = new List<string>();
        foreach (var userName in after.SelectMany(i => i.Notified).Distinct(StringComparer.Ordinal))
        {
            notified.Add(await directory.DisplayNameAsync(userName, cancellationToken));
        }

        return new RetryOutcome(after.Count == 0, subStatus, after, notified);
    }

    private static void EnsureMayRetry(Actor actor)
    {
        if (!MayRetry(actor))
        {
            throw new ForbiddenException("只有安办负责人或系统管理员可以重试中断的流程 " +
                "(only the head of the safety office or an administrator may retry a stopped workflow).");
        }
    }
}
