using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages;

public sealed class IndexModel(QueryDocuments query, ILibraryCatalog libraries) : PageModel
{
    public List<(Library Library, int Count)> Libraries { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (actor.HasRole(Roles.SecurityAdmin))
        {
            return Redirect("/admin/people");
        }

        if (actor.HasRole(Roles.AuditAdmin))
        {
            return Redirect("/admin/audit");
        }

        foreach (var library in libraries.All)
        {
            var page = await query.ListAsync(new ListDocumentsQuery(library.Key, null, null, null, 1, 1), actor, cancellationToken);
            Libraries.Add((library, page.TotalCount));
        }

        return Page();
    }
}
