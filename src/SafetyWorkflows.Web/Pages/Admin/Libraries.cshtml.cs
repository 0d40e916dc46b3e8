using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.DocumentLibraries;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Pages.Admin;

/// <summary>The system administrator's page for libraries: names, chain, columns and choices, a new library. Nothing here
/// drops a stored value: columns are hidden, not deleted, and choices are only added.</summary>
[Authorize(Policy = AuthSetup.AdminPolicy)]
public sealed class LibrariesModel(LibraryAdministration admin, ILibraryCatalog catalog, IWorkflowDefinitionStore definitions, UiText text) : PageModel
{
    public static readonly ColumnType[] Types =
        [ColumnType.Text, ColumnType.Number, ColumnType.Integer, ColumnType.Date, ColumnType.Choice, ColumnType.Unit, ColumnType.User, ColumnType.YesNo];

    public IReadOnlyList<Library> Libraries => catalog.All;

    /// <summary>Published workflow definitions a library can be submitted to: id and display name.</summary>
    public IReadOnlyList<(string Id, string Name)> Chains { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Done { get; private set; }

    /// <summary>The library the last action was about, opened on the page again.</summary>
    public string? Open { get; private set; }

    public static string TypeKey(ColumnType type) => "ColumnType." + ColumnTypeConverter.Word(type);

    /// <summary>A chain as people call it: its name (definitions are named in Chinese), or its id in words in the English UI.</summary>
    public string ChainName(string id) => UiText.IsEnglish ? id.Replace('-', ' ')
        : Chains.FirstOrDefault(c => c.Id == id) is { Name: { Length: > 0 } name } ? name : id;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostRenameAsync(string key, string? name, string? nameEn, string? chainId, CancellationToken cancellationToken) =>
        ActAsync(key, () => admin.RenameAsync(User.ToActor(), key, name, nameEn, chainId, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostAddColumnAsync(
        string key, string? name, string? nameEn, string? type, bool required, string? options, CancellationToken cancellationToken) =>
        ActAsync(key, () => admin.AddColumnAsync(User.ToActor(), key,
            new NewColumn(null, name, nameEn, type, required, type == "choice" ? SplitChoices(options) : null, null), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostColumnAsync(
        string key, string column, string? name, string? nameEn, bool required, CancellationToken cancellationToken) =>
        ActAsync(key, () => admin.ChangeColumnAsync(User.ToActor(), key, column, name, nameEn, null, required, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostHideAsync(string key, string column, bool hidden, CancellationToken cancellationToken) =>
        ActAsync(key, () => admin.ChangeColumnAsync(User.ToActor(), key, column, null, null, hidden, null, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostChoiceAsync(string key, string column, string? choice, CancellationToken cancellationToken) =>
        ActAsync(key, () => admin.AddChoiceAsync(User.ToActor(), key, column, choice, cancellationToken), cancellationToken);

    /// <summary>A new library starts with its unit column (所属单位), which decides who sees its documents; more columns are added after.</summary>
    public Task<IActionResult> OnPostCreateAsync(string? name, string? nameEn, string? chainId, CancellationToken cancellationToken) =>
        ActAsync(null, () => admin.CreateAsync(User.ToActor(), null, name, nameEn, "unit", chainId,
            [new NewColumn("unit", "所属单位", "Unit", "unit", true, null, null)], cancellationToken), cancellationToken);

    private static List<string> SplitChoices(string? options) =>
        (options ?? "").Split(['\n', '、', ',', '，', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private async Task<IActionResult> ActAsync(string? key, Func<Task<Library>> act, CancellationToken cancellationToken)
    {
        try
        {
            var library = await act();
            Open = library.Key;
            Done = text.Format("Libraries.Saved", UiText.Pick(library.Name, library.NameEn));
        }
        catch (Exception ex) when (ex is DomainException or InputValidationException or NotFoundException)
        {
            Open = key;
            Message = UiText.Message(ex.Message);
            Response.StatusCode = ex switch
            {
                NotFoundException => StatusCodes.Status404NotFound,
                DomainException => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var published = await definitions.ListSummariesAsync(VersionOptions.Published, cancellationToken);
        Chains = published.GroupBy(d => d.DefinitionId).Select(g => (g.Key, g.First().Name ?? g.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
    }
}
