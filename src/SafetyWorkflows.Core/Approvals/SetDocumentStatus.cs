using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// <c>SafetyWorkflows.SetDocumentStatus</c>: moves the workflow's document (input <c>documentId</c>) through its own
/// guarded methods; an illegal move faults the step rather than writing a status. <c>Approved</c> fixes the content as
/// the next major version; <c>Published</c> also fills a plan's <c>publishedOn</c> (China date), which starts its drill
/// and evaluation clocks. <c>stage</c> (optional, a <see cref="DocumentStages"/> key) then records the library's own
/// stage (整改中, 待复查, 已备案 …); <c>status</c> may be left empty to set only the stage.
/// </summary>
public sealed class SetDocumentStatus : IValidatingActivity
{
    public const string TypeName = "SafetyWorkflows.SetDocumentStatus";
    public const string PublishedOnColumn = "publishedOn";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var target = await context.EvaluateStringAsync("status");
        var stage = await context.EvaluateStringAsync("stage");
        DocumentStatus? status = null;
        if (!string.IsNullOrWhiteSpace(target))
        {
            status = Enum.TryParse<DocumentStatus>(target, ignoreCase: true, out var parsed) ? parsed
                : throw new InvalidOperationException($"'{target}' is not a document status ({string.Join(", ", Enum.GetNames<DocumentStatus>())})");
        }
        else if (string.IsNullOrWhiteSpace(stage))
        {
            throw new InvalidOperationException("SetDocumentStatus needs a status, a stage or both");
        }

        var documentId = Guid.Parse(Values.AsText(Values.FromJson(context.Execution.State.Input[RequestApproval.DocumentIdInput]))
            ?? throw new InvalidOperationException("the workflow has no documentId input"));
        var documents = context.GetRequiredService<IDocumentRepository>();
        var document = await documents.FindAsync(documentId, context.Execution.CancellationToken)
            ?? throw new InvalidOperationException($"document {documentId} not found");
        var now = context.Now;
        const string by = "workflow";
        var before = DocumentStages.Of(document);
        switch (status)
        {
            case DocumentStatus.Approved:
                document.Approve(by, now);
                await context.GetRequiredService<Records.RecordEffects>().ApprovedAsync(document, now, context.Execution.CancellationToken);
                break;
            case DocumentStatus.Published:
                document.Publish(by, now);
                if (context.GetRequiredService<ILibraryCatalog>().Find(document.LibraryKey)?.FindColumn(PublishedOnColumn) is { Type: ColumnType.Date })
                {
                    var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Calendar.WorkingCalendar.China).DateTime);
                    document.SetMetadataValue(PublishedOnColumn, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), now);
                }

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

        if (!string.IsNullOrWhiteSpace(stage))
        {
            document.SetStage(stage.Trim(), now);
        }

        context.GetRequiredService<IAuditLog>().Append(new AuditEntry(now, by, AuditActions.StatusChange, document.Id, document.CurrentVersion.ToString(),
            $"流程将状态由“{DocumentStages.Words(before)}”改为“{DocumentStages.Words(DocumentStages.Of(document))}”"));
        await context.CompleteAsync();
    }

    /// <summary>A literal status or stage must be one we know, and the step must set at least one.</summary>
    public IEnumerable<string> Validate(ActivityNode node)
    {
        var status = Literal(node, "status", out var statusIsLiteral);
        var stage = Literal(node, "stage", out var stageIsLiteral);
        if (statusIsLiteral && !string.IsNullOrWhiteSpace(status) && !Enum.TryParse<DocumentStatus>(status, ignoreCase: true, out _))
        {
            yield return $"“{status}”不是文档状态 ('{status}' is not a document status: {string.Join(", ", Enum.GetNames<DocumentStatus>())})";
        }

        if (stageIsLiteral && !string.IsNullOrWhiteSpace(stage) && !DocumentStages.IsKnown(stage.Trim()))
        {
            yield return $"“{stage}”不是文档阶段 ('{stage}' is not a stage: {string.Join(", ", DocumentStages.All)})";
        }

        if (statusIsLiteral && stageIsLiteral && string.IsNullOrWhiteSpace(status) && string.IsNullOrWhiteSpace(stage))
        {
            yield return "没有指定状态或阶段 (set a status, a stage or both)";
        }
    }

    private static string? Literal(ActivityNode node, string name, out bool isLiteral)
    {
        var expression = JsonRead.AsObject(node.Input(name))?.GetObject("expression");
        isLiteral = expression?.GetString("type") is "Literal" or null;
        return JsonRead.AsString(expression?.Get("value"));
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
