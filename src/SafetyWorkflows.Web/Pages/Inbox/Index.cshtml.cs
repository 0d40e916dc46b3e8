using SafetyWorkflows.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Inbox;

public sealed record InboxItem(ApprovalTask Task, string? DocumentTitle, bool Overdue);

/// <summary>待办 and 已办: the caller's tasks, filterable by kind and library, with bulk approval of plain approvals.</summary>
public sealed class InboxModel(
    IApprovalTaskRepository tasks, IDocumentRepository documents, Core.Organisation.IOrganisationDirectory directory, DecideTask decide, TimeProvider clock, ILibraryCatalog libraries) : PageModel
{
    public List<InboxItem> Items { get; } = [];

    public int Total { get; private set; }

    public int OtherTotal { get; private set; }

    public bool Open { get; private set; } = true;

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Library { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? UnitId { get; set; }

    public IReadOnlyList<Core.Organisation.Unit> Units { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Open = State != "done";
        var library = Library is not null && libraries.Find(Library) is not null ? Library : null;
        var userName = User.ToActor().UserName;
        var (items, total) = await tasks.ListForAssigneeAsync(userName, Open, library, 0, 200, cancellationToken);
        Total = total;
        OtherTotal = total;
        Units = await directory.ListUnitsAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var headers = await documents.HeadersAsync(items.Where(t => t.DocumentId is not null).Select(t => t.DocumentId!.Value), cancellationToken);
        foreach (var task in items.Where(t => Kind is null or "" || t.Kind.ToString() == Kind))
        {
            var header = task.DocumentId is { } id ? headers.GetValueOrDefault(id) : null;
            if (!string.IsNullOrEmpty(UnitId) && header?.UnitId != UnitId)
            {
                continue;
            }

            Items.Add(new InboxItem(task, header?.Title, task.IsOpen && task.DueAt < now));
        }
    }

    public async Task<IActionResult> OnPostBulkApproveAsync(Guid[] ids, string? opinion, CancellationToken cancellationToken)
    {
        var done = 0;
        var failed = new List<string>();
        foreach (var id in ids)
        {
            try
            {
                await decide.HandleAsync(id, new DecisionCommand($"bulk-{id}-{Guid.NewGuid():N}", "approve", null, opinion, null, null), User.ToActor(), cancellationToken);
                done++;
            }
            catch (Exception ex) when (ex is DomainException or ForbiddenException or InputValidationException or NotFoundException)
            {
                failed.Add(UiText.Message(ex.Message));
            }
        }

        Message = failed.Count == 0 ? $"已同意 {done} 件" : $"已同意 {done} 件；{failed.Count} 件未能办理：{string.Join("；", failed)}";
        return Redirect("/inbox");
    }
}
