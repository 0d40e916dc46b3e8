using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Tasks;

/// <summary>One task: the document inline, its metadata, the trail, and a decision form offering only the allowed actions.</summary>
public sealed class TaskModel(
    IApprovalTaskRepository tasks, IDocumentRepository documents, IOrganisationDirectory directory, DecideTask decide, TimeProvider clock,
    NotificationQueries notifications, Core.Calendar.IClockBoard clocks) : PageModel
{
    public ApprovalTask Task { get; private set; } = null!;

    public Document? Document { get; private set; }

    public Library? Library { get; private set; }

    public JsonObject Metadata { get; private set; } = [];

    public Shared.TrailView Trail { get; private set; } = Shared.TrailView.Empty;

    public IReadOnlyList<string> Allowed { get; private set; } = [];

    public IReadOnlyList<Official> People { get; private set; } = [];

    public bool Overdue { get; private set; }

    /// <summary>The step's next reminder (催办) and next escalation (督办) or progress report, if any.</summary>
    public IReadOnlyList<Core.Calendar.PendingClock> NextClocks { get; private set; } = [];

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public string Display(LibraryColumn column, JsonNode? value) =>
        column.Type == ColumnType.Unit && value is not null && Units.FirstOrDefault(u => u.Id == value.GetValue<string>()) is { } unit
            ? Localization.UiText.Pick(unit.Name, unit.NameEn)
            : value?.ToString() ?? "";

    public string? Message { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public async Task<IActionResult> OnPostAsync(
        Guid id, string? commandId, string? action, string? outcome, string? opinion, string? toUserName, string? toStep, CancellationToken cancellationToken)
    {
        try
        {
            var command = new DecisionCommand(
                commandId, action ?? (outcome is null ? null : "approve"), outcome, opinion,
                string.IsNullOrEmpty(toUserName) ? null : toUserName, action == "sendBack" && !string.IsNullOrEmpty(toStep) ? toStep : null);
            await decide.HandleAsync(id, command, User.ToActor(), cancellationToken);
            return Redirect("/inbox?state=done");
        }
        catch (Exception ex) when (ex is InputValidationException or DomainException)
        {
            Message = ex.Message;
            return await ShowAsync(id, cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var task = await tasks.FindAsync(id, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        if (task.Assignee != actor.UserName && !actor.IsAdmin)
        {
            return Forbid();
        }

        Task = task;
        Allowed = task.Assignee == actor.UserName ? DecideTask.AllowedActions(task) : [];
        Overdue = task.IsOpen && task.DueAt < clock.GetUtcNow();
        if (task.DocumentId is { } documentId && await documents.FindAsync(documentId, cancellationToken) is { } document)
        {
            Document = document;
            Library = Core.Documents.Libraries.Find(document.LibraryKey);
            Metadata = JsonNode.Parse(document.MetadataJson)!.AsObject();
            Trail = await Shared.TrailView.LoadAsync(tasks, notifications, documentId, cancellationToken);
        }

        NextClocks = (await clocks.ForTaskAsync(id, cancellationToken)).GroupBy(c => c.Kind).Select(g => g.First()).ToList();
        Units = await directory.ListUnitsAsync(cancellationToken);
        People = (await directory.ListOfficialsAsync(cancellationToken)).Where(o => o.UserName != actor.UserName && o.UserName != task.SubmittedBy).ToList();
        return Page();
    }
}
