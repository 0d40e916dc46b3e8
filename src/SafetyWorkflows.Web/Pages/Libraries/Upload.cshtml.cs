using SafetyWorkflows.Web.Localization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Libraries;

public sealed class UploadModel(UploadDocument upload, IOrganisationDirectory directory, ILibraryCatalog libraries) : PageModel
{
    public Library Library { get; private set; } = null!;

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public Dictionary<string, string> Values { get; } = [];

    public string? Title { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The units a unit column offers: for the document's own unit, only those the caller may upload for.</summary>
    public IEnumerable<Unit> UnitChoices(LibraryColumn column) =>
        column.Key == Library.UnitColumn ? DocumentAccess.UploadUnits(User.ToActor(), Units, Library.Key) : Units;

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken cancellationToken) =>
        await LoadAsync(key, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(string key, IFormFile? file, string? title, CancellationToken cancellationToken)
    {
        if (await LoadAsync(key, cancellationToken) is { } refused)
        {
            return refused;
        }

        Title = title;
        var metadata = new JsonObject();
        foreach (var column in Library.VisibleColumns)
        {
            var value = Request.Form["m_" + column.Key].FirstOrDefault();
            if (!string.IsNullOrWhiteSpace(value))
            {
                Values[column.Key] = value;
                metadata[column.Key] = value;
            }
        }

        try
        {
            await using var content = file?.OpenReadStream();
            var document = await upload.HandleAsync(
                new UploadDocumentCommand(key, title, metadata.ToJsonString(), file?.FileName, content), User.ToActor(), cancellationToken);
            return Redirect($"/documents/{document.Id}");
        }
        catch (Exception ex) when (ex is InputValidationException or ForbiddenException or DomainException)
        {
            Error = UiText.Message(ex.Message);
            return Page();
        }
    }

    /// <summary>The library and its units; 404 for an unknown library, 403 for someone who may upload for no unit (as the API answers).</summary>
    private async Task<IActionResult?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var library = libraries.Find(key);
        if (library is null)
        {
            return NotFound();
        }

        Library = library;
        Units = await directory.ListUnitsAsync(cancellationToken);
        return DocumentAccess.UploadUnits(User.ToActor(), Units, library.Key).Any() ? null : Forbid();
    }
}
