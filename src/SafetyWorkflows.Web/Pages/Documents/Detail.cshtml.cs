using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Documents;

public sealed class DocumentModel(
    QueryDocuments query, ChangeDocument change, IAuditLog audit,
    SubmitDocument submit, WithdrawDocument withdraw, ReviseDocument revise, IApprovalTaskRepository tasks, NotificationQueries notifications, Core.Calendar.IClockBoard clocks,
    Core.Incidents.QueryIncidents incidents, Core.Incidents.RetryIncident retry, Core.Notices.IssueNotice notices, TimeProvider clock,
    ILibraryCatalog libraries) : PageModel
{
    /// <summary>The document's notice kinds that are issued or can be issued now (a 下载公文 button each).</summary>
    public IReadOnlyList<Core.Notices.NoticeSummary> Notices { get; private set; } = [];

    public Document Document { get; private set; } = null!;

    public Library Library { get; private set; } = null!;

    public JsonObject Metadata { get; private set; } = [];


    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];

    public bool CanEdit { get; private set; }

    /// <summary>修订 is offered to whoever may draft for the document's unit, on a record not in a chain.</summary>
    public bool CanRevise { get; private set; }

    /// <summary>The record this draft revises, when it is a revision.</summary>
    public Document? RevisionOf { get; private set; }

    public IReadOnlyList<Document> Revisions { get; private set; } = [];

    public Shared.TrailView Trail { get; private set; } = Shared.TrailView.Empty;

    /// <summary>Pending deadlines, reminders and escalations of the document's workflow.</summary>
    public IReadOnlyList<Core.Calendar.PendingClock> Clocks { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>逾期: an open task of the document is past its deadline.</summary>
    public bool Overdue { get; private set; }

    /// <summary>流程异常: the incidents that stopped the document's workflow, with 重试 for those who may.</summary>
    public Shared.IncidentsView Incidents { get; private set; } = new([], false);


    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public Task<IActionResult> OnPostCheckOutAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => change.CheckOutAsync(id, User.ToActor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostDiscardAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => change.DiscardCheckOutAsync(id, User.ToActor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, async () => (await submit.HandleAsync(id, User.ToActor(), cancellationToken)).Document, cancellationToken);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => withdraw.HandleAsync(id, User.ToActor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRestoreAsync(Guid id, string version, CancellationToken cancellationToken) =>
        ActAsync(id, () => change.RestoreAsync(id, version, User.ToActor(), cancellationToken), cancellationToken);

    /// <summary>重试: the stopped workflow runs again from the failed step (the head of the safety office and administrators).</summary>
    public async Task<IActionResult> OnPostRetryAsync(Guid id, string incidentId, CancellationToken cancellationToken)
    {
        try
        {
            await retry.HandleForDocumentAsync(id, incidentId, User.ToActor(), cancellationToken);
            return Redirect($"/documents/{id}");
        }
        catch (Exception ex) when (ex is DomainException or NotFoundException)
        {
            Message = UiText.Message(ex.Message);
            return await ShowAsync(id, cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    public async Task<IActionResult> OnPostReviseAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var revision = await revise.HandleAsync(id, User.ToActor(), cancellationToken);
            return Redirect($"/documents/{revision.Id}");
        }
        catch (DomainException ex)
        {
            Message = ex.Message;
            return await ShowAsync(id, cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    public Task<IActionResult> OnPostCheckInAsync(Guid id, IFormFile? file, string? comment, CancellationToken cancellationToken) =>
        ActAsync(id, async () =>
        {
            await using var content = file?.OpenReadStream();
            return await change.CheckInAsync(new CheckInCommand(id, file?.FileName, content, comment), User.ToActor(), cancellationToken);
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<Document>> action, CancellationToken cancellationToken)
    {
        try
        {
            await action();
            return Redirect($"/documents/{id}");
        }
        catch (Exception ex) when (ex is InputValidationException or DomainException)
        {
            Message = UiText.Message(ex.Message);
            return await ShowAsync(id, cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    private async Task<Document?> TryGetAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        try
        {
            return await query.GetAsync(id, actor, cancellationToken);
        }
        catch (Exception ex) when (ex is NotFoundException or ForbiddenException)
        {
            return null;
        }
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        try
        {
            Document = await query.GetAsync(id, actor, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        Library = libraries.Find(Document.LibraryKey)!;
        Metadata = JsonNode.Parse(Document.MetadataJson)!.AsObject();
        Audit = await audit.ListAsync(id, 50, cancellationToken);
        Trail = await Shared.TrailView.LoadAsync(tasks, notifications, id, cancellationToken);
        Overdue = (await tasks.OverdueDocumentsAsync([id], clock.GetUtcNow(), cancellationToken)).Contains(id);
        Clocks = await clocks.ForDocumentAsync(id, cancellationToken);
        Incidents = new Shared.IncidentsView(await incidents.ForDocumentAsync(id, cancellationToken), Core.Incidents.RetryIncident.MayRetry(actor));
        CanEdit = DocumentAccess.CanEdit(actor, Document);
        CanRevise = Document.CanRevise && DocumentAccess.CanUpload(actor, Document.UnitId, Document.LibraryKey);
        Revisions = await query.ListRevisionsAsync(id, actor, cancellationToken);
        Notices = (await notices.ListAsync(id, actor, cancellationToken)).Where(n => n.Notice is not null || n.WhyNot is null).ToList();
        RevisionOf = Document.RevisionOfId is { } source ? await TryGetAsync(source, actor, cancellationToken) : null;
        return Page();
    }
}
