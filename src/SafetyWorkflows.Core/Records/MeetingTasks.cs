using System.Globalization;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Records;

/// <summary>
/// The quarter's safety meeting and training (安全工作例会, 安全培训会议) are tasks (<c>workflows/quarterly-meeting.json</c>,
/// opened by the quarterly clock); uploading the minutes (会议纪要) of that kind, dated in that quarter, completes the
/// uploader's task with the minutes' file as its evidence.
/// </summary>
public sealed class MeetingTasks(IApprovalTaskRepository tasks, ITaskAttachmentRepository attachments, IDocumentRepository documents, DecideTask decide, TimeProvider clock)
{
    public const string Workflow = "quarterly-meeting";
    public const string Meeting = "安全工作例会";
    public const string Training = "安全培训会议";

    public static readonly IReadOnlyList<string> Kinds = [Meeting, Training];

    /// <summary>The instance id of one quarter's meeting or training (stable: the clock starts each once).</summary>
    public static string InstanceId(DateOnly day, string kind) =>
        $"{Workflow}-{day.Year.ToString(CultureInfo.InvariantCulture)}Q{((day.Month - 1) / 3) + 1}-{(kind == Training ? "training" : "meeting")}";

    /// <summary>Completes the uploader's open task for the minutes' kind and quarter; the id of the task, or null when there is none.</summary>
    public async Task<Guid?> CompleteAsync(Document minutes, Actor actor, CancellationToken cancellationToken)
    {
        var metadata = JsonNode.Parse(minutes.MetadataJson) as JsonObject ?? [];
        var kind = metadata[RecordColumns.MeetingKind]?.GetValue<string>();
        if (kind is null || !Kinds.Contains(kind) || metadata[RecordColumns.MeetingDate]?.GetValue<string>() is not { } dateText
            || !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return null;
        }

        var open = await tasks.ListOpenForInstanceAsync(InstanceId(day, kind), TaskKind.Submission, cancellationToken);
        if (open.FirstOrDefault(t => t.Assignee == actor.UserName) is not { } task)
        {
            return null;
        }

        attachments.Add(new TaskAttachment(task.Id, minutes.CurrentVersionEntry.File, actor.UserName, clock.GetUtcNow(), EvidenceLabels.Other));
        await documents.SaveChangesAsync(cancellationToken);
        try
        {
            await decide.HandleAsync(task.Id, new DecisionCommand($"minutes-{minutes.Id:N}", "submit", null, $"已上传会议纪要《{minutes.Title}》", null, null), actor, cancellationToken);
            return task.Id;
        }
        catch (DomainException)
        {
            // Someone else completed the step at the same moment: the minutes are on record either way.
            return null;
        }
    }
}
