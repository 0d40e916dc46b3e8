using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Documents;

/// <summary>What a column holds. The lower-case names are the API's and the seed file's words for them.</summary>
public enum ColumnType
{
    Text,
    Integer,
    Date,
    Choice,
    Unit,
    User,
    Number,
    YesNo,
}

/// <summary>A typed metadata column of a library. <see cref="Options"/> lists the allowed values of a choice column; a hidden
/// column is neither shown nor asked for any more, but the values documents hold for it are kept.</summary>
public sealed record LibraryColumn(
    string Key,
    string Name,
    string NameEn,
    ColumnType Type,
    bool Required,
    IReadOnlyList<string>? Options = null,
    int MaxLength = 500,
    bool Hidden = false);

/// <summary>A document library: one per document kind, with its columns and the approval chain (a workflow definition id)
/// its documents are submitted to. <see cref="UnitColumn"/> names the column that decides which unit a document belongs to
/// (and so who may see it).</summary>
public sealed record Library(string Key, string Name, string NameEn, string UnitColumn, IReadOnlyList<LibraryColumn> Columns, string ChainId)
{
    public LibraryColumn? FindColumn(string key) => Columns.FirstOrDefault(c => c.Key == key);

    /// <summary>The columns pages show and forms ask for.</summary>
    public IEnumerable<LibraryColumn> VisibleColumns => Columns.Where(c => !c.Hidden);
}

/// <summary>The libraries as they stand: seeded from <c>seeds/libraries.json</c>, then edited by an administrator.</summary>
public interface ILibraryCatalog
{
    IReadOnlyList<Library> All { get; }

    Library? Find(string key);
}

/// <summary>The keys of the three libraries of the township's plan: a contract (API paths, workflow inputs, access rules).</summary>
public static class Libraries
{
    public const string ResponsibilityLetters = "responsibility-letters";
    public const string EmergencyPlans = "emergency-plans";
    public const string RectificationOrders = "rectification-orders";

    // The year's records (seeds/libraries.json): the assessment and the plan clocks read them by these keys.
    public const string DrillRecords = "drill-records";
    public const string MeetingMinutes = "meeting-minutes";
    public const string FilingReceipts = "filing-receipts";
    public const string AccidentReports = "accident-reports";
    public const string AssessmentReviews = "assessment-reviews";

    /// <summary>The library, or bad input naming the field when the key is not one of the catalog's.</summary>
    public static Library Get(this ILibraryCatalog catalog, string key, string field = "library") =>
        catalog.Find(key) ?? throw Unknown(catalog, key, field);

    /// <summary>The error for a library key that is not one of ours: bad input naming the field, not a missing resource.</summary>
    public static InputValidationException Unknown(this ILibraryCatalog catalog, string key, string field = "library") => new(field,
        $"文档库“{key}”不存在，可用: {string.Join(", ", catalog.All.Select(l => l.Key))} (unknown library '{key}').");
}

/// <summary>A fixed set of libraries (tests, the bench, and the snapshot the stored catalog serves).</summary>
public sealed class FixedLibraryCatalog : ILibraryCatalog
{
    private readonly Dictionary<string, Library> _byKey;

    public FixedLibraryCatalog(IEnumerable<Library> libraries)
    {
        All = libraries.ToList();
        _byKey = All.ToDictionary(l => l.Key, StringComparer.Ordinal);
    }

    public IReadOnlyList<Library> All { get; }

    /// <summary>Null for a key that is not one of ours, null included (a route value that could not be bound).</summary>
    public Library? Find(string key) => key is null ? null : _byKey.GetValueOrDefault(key);
}
