using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Records;

/// <summary>
/// What an approved record does to the plans it is about, matched by unit and plan type (the record's own columns):
/// a drill record (应急演练记录) moves the plans' <c>lastDrill</c> to its drill date, which re-arms their drill clock; a
/// filing receipt (备案回执) writes its receipt number into the plans' <c>filingReceipt</c> and marks them 已备案.
/// Runs in the approving chain's transaction (<c>SetDocumentStatus</c>), so the record and the plan change together.
/// </summary>
public sealed class RecordEffects(IDocumentRepository documents, ILibraryCatalog catalog, IAuditLog audit)
{
    public const string LastDrill = "lastDrill";
    public const string FilingReceipt = "filingReceipt";

    public async Task ApprovedAsync(Document record, DateTimeOffset at, CancellationToken cancellationToken)
    {
        switch (record.LibraryKey)
        {
            case Libraries.DrillRecords:
                await UpdatePlansAsync(record, LastDrill, RecordColumns.DrillDate, (plan, value) => PlanDate(plan, LastDrill) is not { } last
                    || string.CompareOrdinal(last, value) < 0, at, cancellationToken);
                break;
            case Libraries.FilingReceipts:
                await UpdatePlansAsync(record, FilingReceipt, "receiptNumber", (_, _) => true, at, cancellationToken, filed: true);
                break;
        }
    }

    private async Task UpdatePlansAsync(
        Document record, string planColumn, string recordColumn, Func<Document, string, bool> applies, DateTimeOffset at, CancellationToken cancellationToken,
        bool filed = false)
    {
        var metadata = JsonNode.Parse(record.MetadataJson) as JsonObject ?? [];
        var value = metadata[recordColumn]?.GetValue<string>();
        var planType = metadata[RecordColumns.PlanType]?.GetValue<string>();
        if (string.IsNullOrEmpty(value) || catalog.Find(Libraries.EmergencyPlans)?.FindColumn(planColumn) is null)
        {
            return;
        }

        foreach (var plan in await documents.ListOfUnitAsync(Libraries.EmergencyPlans, record.UnitId, DocumentStatus.Published, cancellationToken))
        {
            var planMetadata = JsonNode.Parse(plan.MetadataJson) as JsonObject ?? [];
            if (planType is not null && planMetadata[RecordColumns.PlanType]?.GetValue<string>() != planType || !applies(plan, value))
            {
                continue;
            }

            plan.SetMetadataValue(planColumn, value, at);
            if (filed)
            {
                plan.SetStage(DocumentStages.Filed, at);
            }

            audit.Append(new AuditEntry(at, "workflow", AuditActions.RecordEffect, plan.Id, plan.CurrentVersion.ToString(),
                $"《{record.Title}》审核通过：{planColumn} = {value}"));
        }
    }

    private static string? PlanDate(Document plan, string column) =>
        (JsonNode.Parse(plan.MetadataJson) as JsonObject)?[column] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
