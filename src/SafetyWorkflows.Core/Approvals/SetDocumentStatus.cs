using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// <c>SafetyWorkflows.SetDocumentStatus</c>: moves the workflow's document (input <c>documentId</c>) through its own
/// guarded methods; an illegal move faults the step rather than writing a status. <c>Approved</c> fixes the content as
/// the next major version.
/// </summary>
public sealed class SetDocumentStatus : IActivity
{
    public const string TypeName = "SafetyWorkflows.SetDocumentStatus";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var target = await context.EvaluateStringAsync("status");
        if (!Enum.TryParse<DocumentStatus>(target, ignoreCase: true, out var status))
        {
            throw new InvalidOperationException($"'{target}' is not a document status ({string.Join(", ", Enum.GetNames<DocumentStatus>())})");
        }

        var documentId = Guid.Parse(Values.AsText(Values.FromJson(context.Execution.State.Input[RequestApproval.DocumentIdInput]))
            ?? throw new InvalidOperationException("the workflow has no documentId input"));
        var documents = context.GetRequiredService<IDocumentRepository>();
        var document = await documents.FindAsync(documentId, context.Execution.CancellationToken)
            ?? throw new InvalidOperationException($"document {documentId} not found");
        var now = context.Now;
        const string by = "workflow";
        var before = document.Status;
        switch (status)
        {
            case DocumentStatus.Approved:
                document.Approve(by, now);
                break;
            case DocumentStatus.Published:
                document.Publish(by, now);
                await NotifyPublishedAsync(context, document);
                break;
            case DocumentStatus.Rejected:
                document.Reject(now);
                break;
            case DocumentStatus.Draft:
                document.Withdraw(now);
                break;
            case DocumentStatus.Pending:
                document.Submit(now);
                break;
            case DocumentStatus.Signed:
                document.MarkSigned(now);
                break;
            case DocumentStatus.Closed:
                document.Close(now);
                break;
            case DocumentStatus.Archived:
                document.Archive(now);
                break;
        }

        context.GetRequiredService<IAuditLog>().Append(new AuditEntry(now, by, AuditActions.StatusChange, document.Id, document.CurrentVersion.ToString(),
            $"流程“{context.Execution.State.DefinitionId}”将状态由 {before} 改为 {document.Status}"));
        await context.CompleteAsync();
    }

    /// <summary>Everyone who drafted or handled the document hears that it is published (written in the run's transaction).</summary>
    private static async Task NotifyPublishedAsync(ActivityExecutionContext context, Document document)
    {
        var handled = await context.GetRequiredService<IApprovalTaskRepository>().ListForDocumentAsync(document.Id, context.Execution.CancellationToken);
        var people = handled.Select(t => t.Assignee).Prepend(document.CreatedBy).Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal);
        var outbox = context.GetRequiredService<Notifications.INotificationOutbox>();
        foreach (var person in people)
        {
            outbox.Add(new Notifications.Notification(person, Notifications.NotificationKind.DocumentPublished, $"【已发布】{document.Title}",
                $"《{document.Title}》已发布，版本 {document.CurrentVersion}", document.Id, null, context.Now));
        }
    }
}
