using System.Text.RegularExpressions;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Organisation;

/// <summary>
/// People as officials read them: a person's name (with their unit where it helps) instead of their login, a role's and a
/// unit's name instead of their keys. One per request; the directory is read once, on first use.
/// </summary>
public sealed partial class PeopleNames(IOrganisationDirectory directory)
{
    private Dictionary<string, Official>? _officials;
    private Dictionary<string, Unit>? _units;
    private Dictionary<string, RoleName>? _roles;

    /// <summary>Reads the directory; pages call it once in their handler so that the view's lookups are synchronous.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_officials is not null)
        {
            return;
        }

        _officials = (await directory.ListOfficialsAsync(cancellationToken)).ToDictionary(o => o.UserName, StringComparer.Ordinal);
        _units = (await directory.ListUnitsAsync(cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        _roles = (await directory.ListRolesAsync(cancellationToken)).ToDictionary(r => r.Key, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<Official> Officials => Loaded(_officials).Values;

    /// <summary>The person's name (王强); the workflow and the system by their part; an unknown login as it is.</summary>
    public string Name(string? userName) => userName switch
    {
        null or "" => "",
        "workflow" => UiText.IsEnglish ? "the workflow" : "流程",
        "system" => UiText.IsEnglish ? "the system" : "系统",
        "anonymous" => UiText.IsEnglish ? "someone not signed in" : "未登录者",
        _ => Loaded(_officials).TryGetValue(userName, out var official) ? official.DisplayName : userName,
    };

    /// <summary>The person's name with their unit, for choosing among people: 王强（安委会）.</summary>
    public string NameWithUnit(string? userName) =>
        userName is not null && Loaded(_officials).TryGetValue(userName, out var official) && official.UnitId is { } unitId
            ? UiText.IsEnglish ? $"{official.DisplayName} ({UnitShortName(unitId)})" : $"{official.DisplayName}（{UnitShortName(unitId)}）"
            : Name(userName);

    public string UnitName(string? unitId) =>
        unitId is not null && Loaded(_units).TryGetValue(unitId, out var unit) ? UiText.Pick(unit.Name, unit.NameEn) : unitId ?? "";

    /// <summary>A unit's common short name where its official name carries one (镇安全生产委员会办公室（安委会） → 安委会).</summary>
    public string UnitShortName(string unitId)
    {
        var name = UnitName(unitId);
        if (UiText.IsEnglish)
        {
            return name;
        }

        var match = ShortName().Match(name);
        return match.Success ? match.Groups[1].Value : name;
    }

    /// <summary>A metadata value as people read it: a unit by its name, a person by name and unit, anything else as written.</summary>
    public string Value(Core.Documents.LibraryColumn column, System.Text.Json.Nodes.JsonNode? value) => value is null ? "" : column.Type switch
    {
        Core.Documents.ColumnType.Unit => UnitName(value.ToString()),
        Core.Documents.ColumnType.User => NameWithUnit(value.ToString()),
        Core.Documents.ColumnType.YesNo => value.ToString() == "true" ? UiText.Pick("是", "Yes") : UiText.Pick("否", "No"),
        _ => value.ToString(),
    };

    public string RoleName(string key) =>
        Loaded(_roles).TryGetValue(key, out var role) ? UiText.Pick(role.Name, role.NameEn) : key;

    /// <summary>Names a list of assignee entries as the chains write them (roles, <c>unit:</c> ids, logins).</summary>
    public string Entries(IEnumerable<string> entries) => string.Join(UiText.IsEnglish ? ", " : "、", entries.Select(Entry));

    private string Entry(string entry) =>
        entry.StartsWith("unit:", StringComparison.Ordinal) ? UnitName(entry["unit:".Length..])
        : Loaded(_roles).ContainsKey(entry) ? RoleName(entry)
        : Name(entry);

    private static Dictionary<string, T> Loaded<T>(Dictionary<string, T>? map) =>
        map ?? throw new InvalidOperationException("PeopleNames.LoadAsync was not called for this request");

    [GeneratedRegex(@"（([^（）]+)）$")]
    private static partial Regex ShortName();
}

/// <summary>Loads <see cref="PeopleNames"/> before a signed-in page renders, so views name people without awaiting.</summary>
public sealed class PeopleNamesPageFilter(PeopleNames people) : Microsoft.AspNetCore.Mvc.Filters.IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        if (context.HttpContext.User.Identity?.IsAuthenticated == true)
        {
            await people.LoadAsync(context.HttpContext.RequestAborted);
        }

        await next();
    }
}
