using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Documents;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Libraries;

/// <summary>A library as a list: its columns, sort by any of them, filters per column, views (built in, shared, own), paging.</summary>
public sealed class LibraryModel(
    QueryDocuments query, ManageViews views, IOrganisationDirectory directory, ILibraryCatalog libraries, IApprovalTaskRepository tasks, TimeProvider clock,
    UiText text)
    : PageModel
{
    public const int PageSize = 20;

    public Library Library { get; private set; } = null!;

    public PagedResult<Document> Result { get; private set; } = null!;

    public IReadOnlySet<Guid> Overdue { get; private set; } = new HashSet<Guid>();

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public IReadOnlyList<ViewChoice> Views { get; private set; } = [];

    /// <summary>The sort and filters the page was asked for (over the view's), as links and the save form repeat them.</summary>
    public ListSpec Spec { get; private set; } = ListSpec.Empty;

    /// <summary>What the list runs: the view's sort and filters under the ones asked for.</summary>
    public ListSpec Effective { get; private set; } = ListSpec.Empty;

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? UnitId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    /// <summary>Whether the upload button is the caller's: they may draft for some unit of this library.</summary>
    public bool CanUpload => DocumentAccess.UploadUnits(User.ToActor(), Units, Library.Key).Any();

    /// <summary>Whether the caller may save a view for everyone.</summary>
    public bool CanShare => LibraryView.MayShare(User.ToActor());

    public string UnitName(string id) => Units.FirstOrDefault(u => u.Id == id) is { } unit ? UiText.Pick(unit.Name, unit.NameEn) : id;

    public string Filter(string key) => Effective.Filters.GetValueOrDefault(key) ?? "";

    /// <summary>One end of a range filter (<c>from..to</c>) for the form's two inputs.</summary>
    public string RangeEnd(string key, bool from)
    {
        var value = Filter(key);
        var at = value.IndexOf("..", StringComparison.Ordinal);
        return at < 0 ? value : from ? value[..at] : value[(at + 2)..];
    }

    /// <summary>The link of this list with another sort, view, page or nothing else changed.</summary>
    public string Link(string? sort = null, int? page = null, string? format = null)
    {
        var spec = sort is null ? Spec : Spec with { Sort = sort };
        return ListQueryString.Format(spec, View, [("q", Q), ("status", Status), ("unitId", UnitId), ("p", page?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("format", format)]);
    }

    /// <summary>Every sort the list offers, each way, in words (a phone has no column headers to click).</summary>
    public IEnumerable<(string Key, string Label)> SortChoices()
    {
        var unit = Library.FindColumn(Library.UnitColumn)!;
        var keys = new List<(string Key, string Label)> { ("updatedAt", text["UpdatedAt"]), ("title", text["Title"]), ("status", text["Status"]), ("unit", UiText.Pick(unit.Name, unit.NameEn)) };
        keys.AddRange(Library.VisibleColumns.Where(c => c.Key != Library.UnitColumn).Select(c => (c.Key, UiText.Pick(c.Name, c.NameEn))));
        foreach (var (key, label) in keys)
        {
            yield return ("-" + key, text.Format("SortDescending", label));
            yield return (key, text.Format("SortAscending", label));
        }
    }

    /// <summary>The sort a header link asks for: ascending first, then descending, by that column.</summary>
    public string NextSort(string key) => Effective.Sort == key ? "-" + key : key;

    public string SortMark(string key) => Effective.Sort == key ? " ▲" : Effective.Sort == "-" + key ? " ▼" : "";

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken cancellationToken)
    {
        if (await LoadAsync(key, cancellationToken) is { } missing)
        {
            return missing;
        }

        var actor = User.ToActor();
        try
        {
            Effective = Spec.Over(await query.ViewSpecAsync(Library, View, actor, cancellationToken));
            Result = await query.ListAsync(new ListDocumentsQuery(key, Status, UnitId, Q, PageNumber ?? 1, PageSize) { Spec = Spec, View = View }, actor, cancellationToken);
        }
        catch (InputValidationException ex)
        {
            // A hand-edited link: say what was wrong and show the whole list instead.
            Error = UiText.Message(ex.Message);
            Spec = Effective = ListSpec.Empty;
            View = null;
            Result = await query.ListAsync(new ListDocumentsQuery(key, null, null, null, 1, PageSize), actor, cancellationToken);
        }

        Overdue = await tasks.OverdueDocumentsAsync(Result.Items.Select(d => d.Id).ToList(), clock.GetUtcNow(), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveViewAsync(string key, string? name, bool shared, CancellationToken cancellationToken)
    {
        if (await LoadAsync(key, cancellationToken) is { } missing)
        {
            return missing;
        }

        try
        {
            var saved = await views.SaveAsync(key, name, shared, Spec.Over(await query.ViewSpecAsync(Library, View, User.ToActor(), cancellationToken)),
                User.ToActor(), cancellationToken);
            return Redirect($"/libraries/{key}?view={saved.Id}");
        }
        catch (Exception ex) when (ex is InputValidationException or ForbiddenException)
        {
            return Redirect($"/libraries/{key}?{Link()}&error={Uri.EscapeDataString(UiText.Message(ex.Message))}");
        }
    }

    public async Task<IActionResult> OnPostDeleteViewAsync(string key, Guid id, CancellationToken cancellationToken)
    {
        await views.DeleteAsync(key, id, User.ToActor(), cancellationToken);
        return Redirect($"/libraries/{key}");
    }

    private async Task<IActionResult?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var library = libraries.Find(key);
        if (library is null)
        {
            return NotFound();
        }

        Library = library;
        Units = await directory.ListUnitsAsync(cancellationToken);
        Views = await views.ListAsync(key, User.ToActor(), cancellationToken);
        Spec = FormSpec();
        Error = Request.Query["error"].FirstOrDefault() is { Length: > 0 and <= 300 } error ? error : null;
        return null;
    }

    /// <summary>The sort and filters of the query string and the filter form (whose ranges come as two inputs).</summary>
    private ListSpec FormSpec()
    {
        var spec = ListQueryString.Spec(Request.Query, Sort);
        var filters = new Dictionary<string, string>(spec.Filters, StringComparer.Ordinal);
        foreach (var column in Library.Columns.Where(c => c.Type is ColumnType.Date or ColumnType.Number or ColumnType.Integer))
        {
            var from = Request.Query[$"from[{column.Key}]"].FirstOrDefault()?.Trim();
            var to = Request.Query[$"to[{column.Key}]"].FirstOrDefault()?.Trim();
            if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to))
            {
                filters[column.Key] = $"{from}..{to}";
            }
        }

        return spec with { Filters = filters };
    }
}
