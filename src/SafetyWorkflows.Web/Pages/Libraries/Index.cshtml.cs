using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Libraries;

public sealed class LibraryModel(QueryDocuments query, IOrganisationDirectory directory, ILibraryCatalog libraries) : PageModel
{
    public Library Library { get; private set; } = null!;

    public PagedResult<Document> Result { get; private set; } = null!;

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? UnitId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    /// <summary>Whether the upload button is the caller's: they may draft for some unit of this library.</summary>
    public bool CanUpload => DocumentAccess.UploadUnits(User.ToActor(), Units, Library.Key).Any();

    public string UnitName(string id) => Units.FirstOrDefault(u => u.Id == id) is { } unit ? UiText.Pick(unit.Name, unit.NameEn) : id;

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken cancellationToken)
    {
        var library = libraries.Find(key);
        if (library is null)
        {
            return NotFound();
        }

        Library = library;
        Units = await directory.ListUnitsAsync(cancellationToken);
        try
        {
            Result = await query.ListAsync(new ListDocumentsQuery(key, Status, UnitId, Q, PageNumber ?? 1, 20), User.ToActor(), cancellationToken);
        }
        catch (InputValidationException)
        {
            Result = await query.ListAsync(new ListDocumentsQuery(key, null, null, null, 1, 20), User.ToActor(), cancellationToken);
        }

        return Page();
    }
}
