using System.Globalization;
using System.Text.Json;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

public enum FieldMatch
{
    Equals,
    Contains,
    Range,
}

/// <summary>One column's filter as the store runs it: equal to a value, containing a text, or within a range (either end open).</summary>
public sealed record FieldFilter(string Key, FieldMatch Match, string? Value, string? From, string? To, bool Numeric);

/// <summary>What a list is ordered by: a document property or a metadata column.</summary>
public enum SortSource
{
    UpdatedAt,
    CreatedAt,
    Title,
    Status,
    Unit,
    Field,
}

public sealed record DocumentSort(SortSource Source, string? FieldKey, bool Descending, bool Numeric);

/// <summary>A list's sort and filters, as the query string spells them: <c>sort=deadline</c> or <c>sort=-deadline</c>,
/// <c>filter[grade]=重大</c>, <c>filter[deadline]=2026-01-01..2026-03-31</c>, <c>filter[overdue]=true</c>, <c>filter[mine]=true</c>,
/// <c>filter[status]=rectifying</c>, <c>filter[unit]=xiangnan-chemical</c>.</summary>
public sealed record ListSpec(string? Sort, IReadOnlyDictionary<string, string> Filters)
{
    public static readonly ListSpec Empty = new(null, new Dictionary<string, string>());

    /// <summary>Keys that are not columns: document properties and the caller's relations to a document.</summary>
    public static readonly string[] BuiltInKeys = ["status", "unit", "overdue", "mine", "title", "updatedAt", "createdAt"];

    /// <summary>This spec's values over <paramref name="basis"/>'s (an explicit parameter beats the view's).</summary>
    public ListSpec Over(ListSpec basis)
    {
        var filters = new Dictionary<string, string>(basis.Filters, StringComparer.Ordinal);
        foreach (var (key, value) in Filters)
        {
            filters[key] = value;
        }

        return new ListSpec(Sort ?? basis.Sort, filters);
    }

    public string FiltersJson() => JsonSerializer.Serialize(Filters);

    public static IReadOnlyDictionary<string, string> ParseFiltersJson(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}

/// <summary>
/// Turns a <see cref="ListSpec"/> into what the store runs, checking every key and value against the library's columns;
/// a bad one is a 400 naming <c>sort</c> or <c>filter[key]</c>.
/// </summary>
public static class ListSpecReader
{
    public static (DocumentSort Sort, IReadOnlyList<FieldFilter> Fields, string? Stage, string? UnitId, bool Overdue, bool Mine) Read(Library library, ListSpec spec)
    {
        var sort = ReadSort(library, spec.Sort);
        var fields = new List<FieldFilter>();
        string? stage = null, unitId = null;
        bool overdue = false, mine = false;
        foreach (var (key, raw) in spec.Filters)
        {
            var field = $"filter[{key}]";
            var value = raw.Trim();
            if (value.Length == 0)
            {
                continue;
            }

            if (value.Length > 200)
            {
                throw new InputValidationException(field, "筛选值不能超过 200 字 (a filter value is at most 200 characters).");
            }

            switch (key)
            {
                case "status":
                    stage = DocumentStages.IsKnown(value) ? value
                        : throw new InputValidationException(field, $"未知状态“{value}” (status must be one of {string.Join(", ", DocumentStages.All)}).");
                    continue;
                case "unit":
                    unitId = value;
                    continue;
                case "overdue":
                    overdue = Flag(field, value);
                    continue;
                case "mine":
                    mine = Flag(field, value);
                    continue;
            }

            var column = library.FindColumn(key)
                ?? throw new InputValidationException(field,
                    $"“{library.Name}”没有列“{key}” (library {library.Key} has no column '{key}'; filters: {string.Join(", ", library.Columns.Select(c => c.Key).Concat(["status", "unit", "overdue", "mine"]))}).");
            fields.Add(ReadField(column, field, value));
        }

        return (sort, fields, stage, unitId, overdue, mine);
    }

    private static DocumentSort ReadSort(Library library, string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort))
        {
            return new DocumentSort(SortSource.UpdatedAt, null, true, false);
        }

        var descending = sort.StartsWith('-');
        var key = sort.TrimStart('-', '+').Trim();
        return key switch
        {
            "updatedAt" => new DocumentSort(SortSource.UpdatedAt, null, descending, false),
            "createdAt" => new DocumentSort(SortSource.CreatedAt, null, descending, false),
            "title" => new DocumentSort(SortSource.Title, null, descending, false),
            "status" => new DocumentSort(SortSource.Status, null, descending, false),
            "unit" => new DocumentSort(SortSource.Unit, null, descending, false),
            _ => library.FindColumn(key) is { } column
                ? new DocumentSort(SortSource.Field, column.Key, descending, IsNumeric(column.Type))
                : throw new InputValidationException("sort",
                    $"不能按“{key}”排序 (sort by one of: {string.Join(", ", library.Columns.Select(c => c.Key).Concat(["title", "updatedAt", "createdAt", "status", "unit"]))}; '-' first for descending)."),
        };
    }

    private static FieldFilter ReadField(LibraryColumn column, string field, string value)
    {
        switch (column.Type)
        {
            case ColumnType.Text:
                return new FieldFilter(column.Key, FieldMatch.Contains, value, null, null, false);
            case ColumnType.Choice:
                return column.Options?.Contains(value) == true
                    ? new FieldFilter(column.Key, FieldMatch.Equals, value, null, null, false)
                    : throw new InputValidationException(field, $"“{column.Name}”只能是: {string.Join("、", column.Options ?? [])} ('{column.Key}' must be one of the listed options).");
            case ColumnType.Unit or ColumnType.User:
                return new FieldFilter(column.Key, FieldMatch.Equals, value, null, null, false);
            case ColumnType.YesNo:
                var flag = Flag(field, value) ? "1" : "0";
                return new FieldFilter(column.Key, FieldMatch.Range, null, flag, flag, true);
            case ColumnType.Date:
                var (from, to) = Range(field, value);
                CheckDate(field, from);
                CheckDate(field, to);
                return new FieldFilter(column.Key, FieldMatch.Range, null, from, to, false);
            default:
                var (low, high) = Range(field, value);
                CheckNumber(field, low);
                CheckNumber(field, high);
                return new FieldFilter(column.Key, FieldMatch.Range, null, low, high, true);
        }
    }

    private static bool IsNumeric(ColumnType type) => type is ColumnType.Integer or ColumnType.Number or ColumnType.YesNo;

    /// <summary><c>a..b</c>, <c>a..</c>, <c>..b</c>, or one value meaning exactly it.</summary>
    private static (string? From, string? To) Range(string field, string value)
    {
        var at = value.IndexOf("..", StringComparison.Ordinal);
        if (at < 0)
        {
            return (value, value);
        }

        var from = value[..at].Trim();
        var to = value[(at + 2)..].Trim();
        if (from.Length == 0 && to.Length == 0)
        {
            throw new InputValidationException(field, "范围至少要有一端 (a range needs at least one end: from..to).");
        }

        return (from.Length == 0 ? null : from, to.Length == 0 ? null : to);
    }

    private static void CheckDate(string field, string? value)
    {
        if (value is not null && !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new InputValidationException(field, "日期须为 yyyy-MM-dd，范围写作 起..止 (a date is yyyy-MM-dd; a range is from..to).");
        }
    }

    private static void CheckNumber(string field, string? value)
    {
        if (value is not null && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            throw new InputValidationException(field, "须为数字，范围写作 起..止 (a number; a range is from..to).");
        }
    }

    private static bool Flag(string field, string value) =>
        YesNo.TryParse(value) ?? throw new InputValidationException(field, "须为 true 或 false (must be true or false).");
}

/// <summary>The words a yes/no value may be written in (a form's checkbox, the API, a person typing 是/否).</summary>
public static class YesNo
{
    public static bool? TryParse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "是" or "on" => true,
        "false" or "0" or "no" or "否" or "off" => false,
        _ => null,
    };
}

/// <summary>A saved list view of a library: personal (its owner's) or shared (everyone's), with its sort and filters.</summary>
public sealed class LibraryView
{
    private LibraryView()
    {
    }

    public Guid Id { get; private set; }

    public string LibraryKey { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>Null: shared with everyone who may open the library.</summary>
    public string? Owner { get; private set; }

    public string? Sort { get; private set; }

    public string FiltersJson { get; private set; } = "{}";

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsShared => Owner is null;

    public ListSpec Spec => new(Sort, ListSpec.ParseFiltersJson(FiltersJson));

    /// <summary>A view of what <paramref name="spec"/> asks, checked against the library first.</summary>
    public static LibraryView Create(Library library, string? name, bool shared, ListSpec spec, Actor actor, DateTimeOffset at)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 30)
        {
            throw new InputValidationException("name", "视图名称须为 1–30 字 (name must be 1-30 characters).");
        }

        if (shared && !MayShare(actor))
        {
            throw new ForbiddenException("只有镇安办和领导可以保存共享视图 (only the township office and leaders save shared views).");
        }

        ListSpecReader.Read(library, spec);
        return new LibraryView
        {
            Id = Guid.NewGuid(),
            LibraryKey = library.Key,
            Name = trimmed,
            Owner = shared ? null : actor.UserName,
            Sort = string.IsNullOrWhiteSpace(spec.Sort) ? null : spec.Sort.Trim(),
            FiltersJson = new ListSpec(null, spec.Filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value.Trim())).FiltersJson(),
            CreatedBy = actor.UserName,
            CreatedAt = at,
        };
    }

    /// <summary>Its owner deletes a personal view; a shared one, whoever may save shared views.</summary>
    public bool MayDelete(Actor actor) => IsShared ? MayShare(actor) : Owner == actor.UserName;

    /// <summary>Who saves and deletes views for everyone: the township-wide roles and the administrator.</summary>
    public static bool MayShare(Actor actor) => actor.IsTownshipWide || actor.HasRole(Roles.Admin);
}

/// <summary>The views every library has (全部, 我经办的, 逾期, and where they apply 重大隐患 and 本单位); ids are stable words.</summary>
public static class BuiltInViews
{
    public sealed record View(string Id, string Name, string NameEn, ListSpec Spec);

    public static IReadOnlyList<View> For(Library library, Actor actor)
    {
        var views = new List<View>
        {
            new("all", "全部", "All", ListSpec.Empty),
            new("mine", "我经办的", "Mine", Filters(("mine", "true"))),
            new("overdue", "逾期", "Overdue", Filters(("overdue", "true")) with { Sort = "updatedAt" }),
        };
        if (library.FindColumn("grade") is { Type: ColumnType.Choice, Options: { } grades } && grades.Contains("重大"))
        {
            views.Add(new("major", "重大隐患", "Major hazards", Filters(("grade", "重大"))));
        }

        if (actor.UnitId is { } unit)
        {
            views.Add(new("my-unit", "本单位", "My unit", Filters(("unit", unit))));
        }

        return views;
    }

    private static ListSpec Filters(params (string Key, string Value)[] filters) =>
        new(null, filters.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
}

/// <summary>Saved views. Writes join the current unit of work.</summary>
public interface ILibraryViewRepository
{
    Task<IReadOnlyList<LibraryView>> ListAsync(string libraryKey, string userName, CancellationToken cancellationToken);

    Task<LibraryView?> FindAsync(Guid id, CancellationToken cancellationToken);

    void Add(LibraryView view);

    void Remove(LibraryView view);

    Task SaveChangesAsync(CancellationToken cancellationToken);
}
