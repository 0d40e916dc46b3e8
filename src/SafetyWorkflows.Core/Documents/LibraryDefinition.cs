using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Documents;

/// <summary>
/// A library as stored and edited: its names, its approval chain and its columns. Columns are only ever added, relabelled,
/// hidden and shown again, and choices only added, so no value a document holds is ever dropped or made invalid by an edit.
/// </summary>
public sealed partial class LibraryDefinition
{
    public const int MaxColumns = 60;
    public const int MaxChoices = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new ColumnTypeConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private List<LibraryColumn> _columns = [];

    private LibraryDefinition()
    {
    }

    public string Key { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string NameEn { get; private set; } = "";

    public string UnitColumn { get; private set; } = "";

    public string ChainId { get; private set; } = "";

    /// <summary>Where the library stands among the others in menus.</summary>
    public int Position { get; private set; }

    public string ColumnsJson
    {
        get => JsonSerializer.Serialize(_columns, Json);
        private set => _columns = JsonSerializer.Deserialize<List<LibraryColumn>>(value, Json) ?? [];
    }

    /// <summary>Changes on every edit: two administrators saving at once cannot both win.</summary>
    public Guid ConcurrencyStamp { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<LibraryColumn> Columns => _columns;

    public static LibraryDefinition Create(
        string? key, string? name, string? nameEn, string? unitColumn, string? chainId, IEnumerable<LibraryColumn> columns, int position, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(key) || !KeyPattern().IsMatch(key))
        {
            throw new InputValidationException("key", "文档库标识须为 2–48 位小写字母、数字或连字符，以字母开头 (key: lower-case letters, digits and '-', starting with a letter).");
        }

        var definition = new LibraryDefinition { Key = key, Position = position, UpdatedAt = at, ConcurrencyStamp = Guid.NewGuid() };
        definition.Rename(name, nameEn, at);
        definition.ChangeChain(chainId, at);
        foreach (var column in columns)
        {
            definition.AddColumn(column, at);
        }

        if (string.IsNullOrWhiteSpace(unitColumn) || definition.FindColumn(unitColumn) is not { Type: ColumnType.Unit })
        {
            throw new InputValidationException("unitColumn", "须指定一个“单位”类型的列作为归属单位 (unitColumn must name one of the library's unit columns).");
        }

        definition.UnitColumn = unitColumn;
        return definition;
    }

    /// <summary>The libraries of a seed file (<c>seeds/libraries.json</c>), checked as an administrator's edits are; a bad
    /// entry fails naming the file, the library and the field.</summary>
    public static IReadOnlyList<LibraryDefinition> ReadSeeds(string json, string source, DateTimeOffset at)
    {
        List<LibrarySeed>? seeds;
        try
        {
            seeds = JsonSerializer.Deserialize<List<LibrarySeed>>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Seed file {source} is not valid: {ex.Message}", ex);
        }

        var result = new List<LibraryDefinition>();
        foreach (var (seed, index) in (seeds ?? []).Select((s, i) => (s, i)))
        {
            try
            {
                result.Add(Create(seed.Key, seed.Name, seed.NameEn, seed.UnitColumn, seed.Chain, seed.Columns ?? [], index, at));
            }
            catch (InputValidationException ex)
            {
                throw new InvalidOperationException($"Seed file {source}, library '{seed.Key}': {ex.Field}: {ex.Message}", ex);
            }
        }

        if (result.GroupBy(l => l.Key).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Seed file {source} names library '{twice.Key}' twice.");
        }

        return result;
    }

    public Library ToLibrary() => new(Key, Name, NameEn, UnitColumn, _columns.ToList(), ChainId);

    public LibraryColumn? FindColumn(string key) => _columns.FirstOrDefault(c => c.Key == key);

    public void Rename(string? name, string? nameEn, DateTimeOffset at)
    {
        Name = Label(name, "name", "名称");
        NameEn = Label(nameEn, "nameEn", "英文名称");
        Touch(at);
    }

    /// <summary>The approval chain documents of this library are submitted to from now on (running ones keep theirs).</summary>
    public void ChangeChain(string? chainId, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(chainId) || chainId.Length > 100)
        {
            throw new InputValidationException("chainId", "须指定审批流程 (chainId names the workflow definition documents are submitted to).");
        }

        ChainId = chainId.Trim();
        Touch(at);
    }

    public void AddColumn(LibraryColumn column, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(column.Key) || !ColumnKeyPattern().IsMatch(column.Key))
        {
            throw new InputValidationException("columns.key", "列标识须为 1–40 位字母或数字，以字母开头 (a column key is 1-40 letters or digits, starting with a letter).");
        }

        if (FindColumn(column.Key) is not null)
        {
            throw new InputValidationException("columns.key", $"列“{column.Key}”已存在 (the library already has a column '{column.Key}').");
        }

        if (_columns.Count >= MaxColumns)
        {
            throw new InputValidationException("columns", $"一个文档库最多 {MaxColumns} 列 (at most {MaxColumns} columns).");
        }

        if (!Enum.IsDefined(column.Type))
        {
            throw new InputValidationException("columns.type", "未知的列类型 (unknown column type).");
        }

        if (column.MaxLength is < 1 or > 4000)
        {
            throw new InputValidationException("columns.maxLength", "文本长度上限须在 1 到 4000 之间 (maxLength must be between 1 and 4000).");
        }

        var options = column.Type == ColumnType.Choice ? Choices(column.Options) : null;
        _columns.Add(column with
        {
            Name = Label(column.Name, "columns.name", "列名"),
            NameEn = Label(column.NameEn, "columns.nameEn", "列的英文名"),
            Options = options,
        });
        Touch(at);
    }

    public void AddChoice(string columnKey, string? choice, DateTimeOffset at)
    {
        var column = ColumnOf(columnKey);
        if (column.Type != ColumnType.Choice)
        {
            throw new InputValidationException("choice", $"“{column.Name}”不是选择列 ('{column.Key}' is not a choice column).");
        }

        var options = Choices([.. column.Options ?? [], choice ?? ""], "choice");
        Replace(column with { Options = options }, at);
    }

    /// <summary>Relabels, hides or shows a column, or changes whether new documents must fill it in. Its key, type and the
    /// values documents hold stay as they are.</summary>
    public void ChangeColumn(string columnKey, string? name, string? nameEn, bool? hidden, bool? required, DateTimeOffset at)
    {
        var column = ColumnOf(columnKey);
        if (hidden == true && column.Key == UnitColumn)
        {
            throw new InputValidationException("hidden", $"“{column.Name}”决定文档归属单位，不能隐藏 ('{column.Key}' decides who may see a document and cannot be hidden).");
        }

        Replace(column with
        {
            Name = name is null ? column.Name : Label(name, "name", "列名"),
            NameEn = nameEn is null ? column.NameEn : Label(nameEn, "nameEn", "列的英文名"),
            Hidden = hidden ?? column.Hidden,
            Required = required ?? column.Required,
        }, at);
    }

    private LibraryColumn ColumnOf(string columnKey) =>
        FindColumn(columnKey) ?? throw new NotFoundException($"文档库“{Name}”没有列“{columnKey}” (library {Key} has no column '{columnKey}').");

    private void Replace(LibraryColumn column, DateTimeOffset at)
    {
        _columns[_columns.FindIndex(c => c.Key == column.Key)] = column;
        Touch(at);
    }

    private void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        ConcurrencyStamp = Guid.NewGuid();
    }

    private static List<string> Choices(IEnumerable<string>? options, string field = "columns.options")
    {
        var list = (options ?? []).Select(o => o?.Trim() ?? "").ToList();
        if (list.Count == 0 || list.Any(o => o.Length is 0 or > 50))
        {
            throw new InputValidationException(field, "选项须为 1–50 字，且至少一项 (each choice is 1-50 characters, and there is at least one).");
        }

        if (list.Count > MaxChoices)
        {
            throw new InputValidationException(field, $"一列最多 {MaxChoices} 个选项 (at most {MaxChoices} choices).");
        }

        if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            throw new InputValidationException(field, "选项不能重复 (choices must differ).");
        }

        return list;
    }

    private static string Label(string? text, string field, string what)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 50)
        {
            throw new InputValidationException(field, $"{what}须为 1–50 字 ({field} must be 1-50 characters).");
        }

        return trimmed;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,47}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex ColumnKeyPattern();
}

internal sealed record LibrarySeed(string? Key, string? Name, string? NameEn, string? UnitColumn, string? Chain, List<LibraryColumn>? Columns);

/// <summary>Column types as the seed file and the API spell them: text, integer, number, date, choice, unit, user, yesno.</summary>
public sealed class ColumnTypeConverter : JsonConverter<ColumnType>
{
    public static string Word(ColumnType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string? word, out ColumnType type)
    {
        type = default;
        return word is not null && !int.TryParse(word, out _) && Enum.TryParse(word.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out type)
            && Enum.IsDefined(type);
    }

    public override ColumnType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TryParse(reader.GetString(), out var type)
            ? type
            : throw new JsonException($"unknown column type '{reader.GetString()}' (text, integer, number, date, choice, unit, user, yesno)");

    public override void Write(Utf8JsonWriter writer, ColumnType value, JsonSerializerOptions options) => writer.WriteStringValue(Word(value));
}
