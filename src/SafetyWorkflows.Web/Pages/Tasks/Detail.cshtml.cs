using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Tasks;

/// <summary>
/// One task: the document inline, its metadata, the evidence submitted so far, the trail, and a form offering exactly the
/// task's allowed actions, each with what it needs (evidence upload for a submission, a reason to refuse, the step to send
/// back to by its name, the person to hand over to by their name and unit).
/// </summary>
public sealed class TaskModel(
    IApprovalTaskRepository tasks, TaskLoader loader, Organisation.PeopleNames people, DecideTask decide, AttachTaskFile attach,
    ReadEvidence evidence, Microsoft.Extensions.Options.IOptions<Core.Storage.StorageOptions> storage, TimeProvider clock, NotificationQueries notifications, Core.Calendar.IClockBoard clocks,
    Core.Incidents.QueryIncidents incidents, Core.Incidents.RetryIncident retry, ILibraryCatalog libraries, TaskLinks taskLinks) : PageModel
{
    /// <summary>The task's live signed links (/t/{token}), for the safety office to see and revoke.</summary>
    public IReadOnlyList<Core.Approvals.TaskLink> LiveLinks { get; private set; } = [];

    /// <summary>撤销签名链接: the safety office revokes every live link of the task.</summary>
    public async Task<IActionResult> OnPostRevokeLinksAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await taskLinks.RevokeAsync(id, User.ToActor(), cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Redirect($"/tasks/{id}#links");
    }

    /// <summary>The actions that hand the task (or a copy) to someone else: each needs a person.</summary>
    public static readonly string[] HandOverActions = ["reassign", "addApprover", "delegate", "copy"];

    /// <summary>The actions that answer the step: each is a button of its own.</summary>
    public static readonly string[] AnswerActions = ["approve", "sign", "submit", "retry", "reject", "refuse"];

    public ApprovalTask Task { get; private set; } = null!;

    public Document? Document { get; private set; }

    public Library? Library { get; private set; }

    public JsonObject Metadata { get; private set; } = [];

    public Shared.TrailView Trail { get; private set; } = Shared.TrailView.Empty;

    public IReadOnlyList<string> Allowed { get; private set; } = [];

    public IReadOnlyList<Official> People { get; private set; } = [];

    /// <summary>The steps this one may send back to, as (outcome target, the step's name as officials read it).</summary>
    public IReadOnlyList<(string Target, string Name)> SendBackTargets { get; private set; } = [];

    /// <summary>The evidence on the document's tasks (this task's own first), with their labels.</summary>
    public IReadOnlyList<TaskAttachment> Evidence { get; private set; } = [];

    public bool Overdue { get; private set; }

    /// <summary>流程异常: the incidents that stopped this task's workflow (after a decision, or the incident this task is about).</summary>
    public Shared.IncidentsView Incidents { get; private set; } = new([], false);

    /// <summary>The kinds of evidence this task asks for: a rectification order's four, else the submission's files as one kind.</summary>
    public IReadOnlyList<string> EvidenceKinds =>
        EvidenceLabels.For(Task.LibraryKey);

    /// <summary>整改材料 for a rectification order, 报送材料 for anything else a unit submits (a filing receipt, statistics).</summary>
    public string EvidenceHeading => Task.LibraryKey == Core.Documents.Libraries.RectificationOrders ? "Evidence" : "Submitted";

    /// <summary>The step's next reminder (催办) and next escalation (督办) or progress report, if any.</summary>
    public IReadOnlyList<Core.Calendar.PendingClock> NextClocks { get; private set; } = [];

    /// <summary>A decision refused (shown above the decision form).</summary>
    public string? Message { get; private set; }

    /// <summary>An upload refused (shown next to the file inputs).</summary>
    public string? UploadMessage { get; private set; }

    /// <summary>The opinion the official typed, kept when the decision was refused.</summary>
    public string? Opinion { get; private set; }

    public bool Uploaded { get; private set; }

    public long MaxUploadBytes => storage.Value.MaxUploadBytes;

    public Task<IActionResult> OnGetAsync(Guid id, bool uploaded, CancellationToken cancellationToken)
    {
        Uploaded = uploaded;
        return ShowAsync(id, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(
        Guid id, string? commandId, string? action, string? outcome, string? opinion, string? toUserName, string? toStep, CancellationToken cancellationToken)
    {
        try
        {
            var command = new DecisionCommand(
                commandId, action ?? (outcome is null ? null : "approve"), outcome, opinion,
                string.IsNullOrEmpty(toUserName) ? null : toUserName, action == "sendBack" && !string.IsNullOrEmpty(toStep) ? toStep : null);
            var result = await decide.HandleAsync(id, command, User.ToActor(), cancellationToken);

            // A chain that stopped after the decision is shown here, not hidden behind the done list.
            return Redirect(action == "copy" || result.ChainStopped ? $"/tasks/{id}" : "/inbox?state=done");
        }
        catch (Exception ex) when (ex is InputValidationException or DomainException)
        {
            Message = UiText.Message(ex.Message);
            Opinion = opinion;
            return await ShowAsync(id, cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    /// <summary>重试 from the incidents list (the head of the safety office and administrators).</summary>
    public async Task<IActionResult> OnPostRetryAsync(Guid id, string instanceId, string incidentId, CancellationToken cancellationToken)
    {
        try
        {
            await retry.HandleIncidentAsync(instanceId, incidentId, User.ToActor(), cancellationToken);
            return Redirect($"/tasks/{id}");
        }
        catch (DomainException ex)
        {
            Message = UiText.Message(ex.Message);
            return await ShowAsync(id, cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    /// <summary>Evidence upload: one file input per label (整改方案, 整改前照片, 整改后照片, 其他), each taking several files.</summary>
    public async Task<IActionResult> OnPostAttachAsync(
        Guid id, List<IFormFile>? plan, List<IFormFile>? before, List<IFormFile>? after, List<IFormFile>? other, List<IFormFile>? cause,
        List<IFormFile>? accountability, List<IFormFile>? measures, List<IFormFile>? education, CancellationToken cancellationToken)
    {
        var files = new (string Label, List<IFormFile>? Files)[]
        {
            (EvidenceLabels.Plan, plan), (EvidenceLabels.Before, before), (EvidenceLabels.After, after), (EvidenceLabels.Cause, cause),
            (EvidenceLabels.Accountability, accountability), (EvidenceLabels.Measures, measures), (EvidenceLabels.Education, education),
            (EvidenceLabels.Other, other),
        }.SelectMany(g => (g.Files ?? []).Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).Select(f => (g.Label, File: f))).ToList();
        if (files.Count == 0)
        {
            UploadMessage = UiText.IsEnglish ? "Choose at least one file." : "请至少选择一个文件。";
            return await ShowAsync(id, cancellationToken);
        }

        var refused = new List<string>();
        foreach (var (label, file) in files)
        {
            try
            {
                await using var content = file.OpenReadStream();
                await attach.HandleAsync(id, file.FileName, content, User.ToActor(), cancellationToken, label);
            }
            catch (Exception ex) when (ex is InputValidationException or DomainException)
            {
                refused.Add($"{file.FileName}：{UiText.Message(ex.Message)}");
            }
            catch (ForbiddenException)
            {
                return Forbid();
            }
        }

        if (refused.Count > 0)
        {
            UploadMessage = string.Join(" ", refused);
            return await ShowAsync(id, cancellationToken);
        }

        return Redirect($"/tasks/{id}?uploaded=true#evidence");
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        ApprovalTask task;
        Document? document;
        try
        {
            (task, document) = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        Task = task;
        if (TaskLinks.IsSafetyOffice(actor) && task.IsOpen)
        {
            var now = clock.GetUtcNow();
            LiveLinks = [.. (await taskLinks.ListAsync(task.Id, actor, cancellationToken)).Where(l => !l.IsRevoked && l.ExpiresAt > now)];
        }

        Allowed = TaskAccess.CanAct(actor, task) ? DecideTask.AllowedActions(task) : [];
        Overdue = task.IsOpen && task.DueAt < clock.GetUtcNow();
        if (document is not null)
        {
            var documentId = document.Id;
            Document = document;
            Library = libraries.Find(document.LibraryKey);
            Metadata = JsonNode.Parse(document.MetadataJson)!.AsObject();
            Trail = await Shared.TrailView.LoadAsync(tasks, notifications, documentId, cancellationToken);
            Evidence = (await evidence.ListAsync(documentId, actor, cancellationToken))
                .OrderBy(a => a.TaskId == task.Id ? 0 : 1).ThenBy(a => EvidenceOrder(a.Label)).ThenBy(a => a.UploadedAt).ToList();
        }

        else
        {
            // A task without a document (quarterly statistics) carries its own files, e.g. the computed sheet to confirm.
            Evidence = await evidence.ListForTaskAsync(task.Id, actor, cancellationToken);
        }

        SendBackTargets = task.SendBackTargets.Select(target => (target, StepName(target))).ToList();
        Incidents = new Shared.IncidentsView(
            await incidents.ForInstanceAsync(task.WorkflowInstanceId, cancellationToken),
            Core.Incidents.RetryIncident.MayRetry(actor) && !Allowed.Contains(Core.Incidents.IncidentFacts.RetryAction));
        NextClocks = (await clocks.ForTaskAsync(id, cancellationToken)).GroupBy(c => c.Kind).Select(g => g.First()).ToList();
        await people.LoadAsync(cancellationToken);
        People = people.Officials
            .Where(o => TaskAccess.CanReceive(o, Document) && o.UserName != actor.UserName && o.UserName != task.SubmittedBy && !o.Roles.Contains(Roles.Admin))
            .OrderBy(o => o.UnitId, StringComparer.Ordinal).ThenBy(o => o.DisplayName, StringComparer.Ordinal).ToList();
        return Page();
    }

    /// <summary>An earlier step by the name its tasks carried (the trail), else by its id.</summary>
    private string StepName(string activityId) =>
        Trail.Tasks.Where(t => t.ActivityId == activityId).Select(t => t.Step).FirstOrDefault() ?? activityId;

    public static int EvidenceOrder(string label) => EvidenceLabels.All.ToList().IndexOf(label) is var i and >= 0 ? i : EvidenceLabels.All.Count;
}
