using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>
/// A library list answers with the same rows whichever plan reads them: a broad filter walks the sort order's index and
/// stops after the page, a narrow one collects its few matches and sorts them; a count with several filters intersects
/// their index ranges through id lists or through lookups. Six thousand orders (written as the app writes them: the
/// document row and its metadata fields) make every plan happen, and the settings force each one in turn (a walk budget
/// of 0 collects every page, the largest walks every page); the expected rows are computed here from the documents' own
/// metadata, independently of the repository's queries.
/// </summary>
public sealed class ListPlanTests
{
    private const string Library = "rectification-orders";
    private const int Count = 6000;
    private static readonly string[] Locations = ["甲类仓库东侧", "储罐区", "配电房", "锅炉房", "3号楼北侧", "厂区道路"];

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", "IdLists")]
    [InlineData("0", "Lookups")]
    [InlineData("2147483647", "IdLists")]
    [InlineData("2147483647", "Lookups")]
    public async Task BroadAndNarrowFilters_SortsAndPages_GiveTheRowsComputedFromTheMetadata(string? walkBudget, string? countPlan)
    {
        var settings = new Dictionary<string, string>();
        if (walkBudget is not null)
        {
            settings["Lists:WalkBudget"] = walkBudget;
        }

        if (countPlan is not null)
        {
            settings["Lists:CountPlan"] = countPlan;
        }

        await using var app = new AppFactory(settings: settings);
        await BulkInsertAsync(app);
        var all = await ReadAllAsync(app);
        var head = await app.ClientForAsync("wangqiang");

        var cases = new (string Name, string Query, Func<Row, bool> Keep, string Sort, int Page)[]
        {
            // Broad: a seventh of the library (walks the deadline index).
            ("major by deadline", $"{F("grade", "重大")}&sort=deadline", r => r.Is("grade", "重大"), "deadline", 1),
            ("major by deadline, page 4", $"{F("grade", "重大")}&sort=deadline&page=4", r => r.Is("grade", "重大"), "deadline", 4),
            ("major in a range, latest first", $"{F("grade", "重大")}&{F("deadline", "2026-01-10..2026-01-30")}&sort=-deadline",
                r => r.Is("grade", "重大") && r.Between("deadline", "2026-01-10", "2026-01-30"), "-deadline", 1),
            ("warehouses by title", $"{F("location", "仓库")}&sort=title", r => r.Contains("location", "仓库"), "title", 1),
            ("warehouses by title, descending, page 2", $"{F("location", "仓库")}&sort=-title&page=2", r => r.Contains("location", "仓库"), "-title", 2),
            ("major, newest first, page 3", $"{F("grade", "重大")}&page=3", r => r.Is("grade", "重大"), "-updated", 3),
            ("every order by deadline, into those without one", "sort=deadline&page=" + ((Count / 20) - 1), _ => true, "deadline", (Count / 20) - 1),
            ("pending and major by deadline", $"{F("status", "pending")}&{F("grade", "重大")}&sort=deadline", r => r.Stage == "pending" && r.Is("grade", "重大"), "deadline", 1),
            ("one unit by title, page 2", $"{F("unit", "dongyue-construction")}&sort=title&page=2", r => r.Unit == "dongyue-construction", "title", 2),
            ("one unit, major, newest first", $"{F("unit", "xiangnan-chemical")}&{F("grade", "重大")}", r => r.Unit == "xiangnan-chemical" && r.Is("grade", "重大"), "-updated", 1),
            ("one unit, major, in a range, by title", $"{F("unit", "dongyue-construction")}&{F("grade", "重大")}&{F("deadline", "2026-01-05..2026-02-10")}&sort=title",
                r => r.Unit == "dongyue-construction" && r.Is("grade", "重大") && r.Between("deadline", "2026-01-05", "2026-02-10"), "title", 1),
            // Narrow: a handful of matches (collected and sorted).
            ("pending at a rare location", $"{F("status", "pending")}&{F("location", "罕见")}&sort=title", r => r.Stage == "pending" && r.Contains("location", "罕见"), "title", 1),
            ("rare location by deadline", $"{F("location", "罕见")}&sort=-deadline", r => r.Contains("location", "罕见"), "-deadline", 1),
            ("rare location by title", $"{F("location", "罕见")}&sort=title", r => r.Contains("location", "罕见"), "title", 1),
            ("rare location, newest first", F("location", "罕见"), r => r.Contains("location", "罕见"), "-updated", 1),
            ("one day, major", $"{F("deadline", "2026-02-03..2026-02-03")}&{F("grade", "重大")}&sort=deadline",
                r => r.Between("deadline", "2026-02-03", "2026-02-03") && r.Is("grade", "重大"), "deadline", 1),
            ("a long description's end", $"{F("hazardDescription", "尾部特征")}&sort=deadline", r => r.Contains("hazardDescription", "尾部特征"), "deadline", 1),
        };

        foreach (var (name, query, keep, sort, page) in cases)
        {
            var expected = Expected(all.Where(keep), sort).ToList();
            var list = await head.GetFromJsonAsync<JsonElement>($"/api/libraries/{Library}/documents?pageSize=20&{query}");
            var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();
            Assert.True(expected.Count == list.GetProperty("totalCount").GetInt32(), $"{name}: count {list.GetProperty("totalCount").GetInt32()}, expected {expected.Count}");
            Assert.True(expected.Skip((page - 1) * 20).Take(20).Select(r => r.Id).SequenceEqual(ids), $"{name}: the page's rows differ");
        }

        // The cases above are not trivial: the broad ones fill their page, the narrow ones have a few rows each.
        Assert.Equal(20, Expected(all.Where(r => r.Is("grade", "重大")), "deadline").Skip(60).Take(20).Count());
        Assert.InRange(all.Count(r => r.Contains("location", "罕见")), 2, 10);
        Assert.True(all.Count(r => r.Unit == "dongyue-construction" && r.Is("grade", "重大") && r.Between("deadline", "2026-01-05", "2026-02-10")) > 20);
        Assert.InRange(all.Count(r => r.Contains("hazardDescription", "尾部特征")), 2, 10);
    }

    private static IEnumerable<Row> Expected(IEnumerable<Row> rows, string sort)
    {
        var descending = sort.StartsWith('-');
        var key = sort.TrimStart('-');
        switch (key)
        {
            case "updated":
                return rows.OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.IdText, StringComparer.Ordinal);
            case "title":
                var byTitle = descending ? rows.OrderByDescending(r => r.Title, StringComparer.Ordinal) : rows.OrderBy(r => r.Title, StringComparer.Ordinal);
                return byTitle.ThenByDescending(r => r.UpdatedAt).ThenBy(r => r.IdText, StringComparer.Ordinal);
            default:
                // Documents with a value in the column, in its order (ties by id the same way), then those without, newest first.
                var valued = rows.Where(r => r.Values.ContainsKey(key));
                var ordered = descending
                    ? valued.OrderByDescending(r => r.Values[key], StringComparer.Ordinal).ThenByDescending(r => r.IdText, StringComparer.Ordinal)
                    : valued.OrderBy(r => r.Values[key], StringComparer.Ordinal).ThenBy(r => r.IdText, StringComparer.Ordinal);
                var without = rows.Where(r => !r.Values.ContainsKey(key)).OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.IdText, StringComparer.Ordinal);
                return ordered.Concat(without);
        }
    }

    private static string F(string key, string value) => Uri.EscapeDataString($"filter[{key}]") + "=" + Uri.EscapeDataString(value);

    private static async Task<List<Row>> ReadAllAsync(AppFactory app)
    {
        var rows = new List<Row>();
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Title, UpdatedAt, MetadataJson, UnitId, Stage, Status FROM Documents WHERE LibraryKey = $library";
        command.Parameters.AddWithValue("$library", Library);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var json = JsonDocument.Parse(reader.GetString(3));
            var values = json.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!);
            // The stage a list filters by: the chain's, or what the status means in this library.
            var stage = reader.IsDBNull(5) ? DocumentStages.FromStatus(Library, Enum.Parse<DocumentStatus>(reader.GetString(6))) : reader.GetString(5);
            rows.Add(new Row(Guid.Parse(reader.GetString(0)), reader.GetString(0), reader.GetString(1), reader.GetInt64(2), values, reader.GetString(4), stage));
        }

        return rows;
    }

    /// <summary>The rows the app writes for an uploaded order: the document and one field row per metadata value.</summary>
    private static async Task BulkInsertAsync(AppFactory app)
    {
        _ = app.Server;   // migrated and seeded before the orders go in
        string[] units = ["xiangnan-chemical", "dongyue-construction", "qingshan-village"];
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var document = connection.CreateCommand();
        document.CommandText = """
            INSERT INTO Documents (Id, LibraryKey, Title, UnitId, MetadataJson, Status, CurrentMajor, CurrentMinor, CreatedBy, CreatedAt, UpdatedAt, Revision)
            VALUES ($id, $library, $title, $unit, $meta, $status, 0, 1, 'wujie', $at, $at, 1)
            """;
        var id = document.Parameters.Add("$id", SqliteType.Text);
        document.Parameters.AddWithValue("$library", Library);
        var title = document.Parameters.Add("$title", SqliteType.Text);
        var unit = document.Parameters.Add("$unit", SqliteType.Text);
        var meta = document.Parameters.Add("$meta", SqliteType.Text);
        var at = document.Parameters.Add("$at", SqliteType.Integer);
        var status = document.Parameters.Add("$status", SqliteType.Text);
        await using var field = connection.CreateCommand();
        field.CommandText = "INSERT INTO DocumentFields (DocumentId, LibraryKey, Key, SortText, Text, Number) VALUES ($doc, $library, $key, $sort, $text, NULL)";
        var doc = field.Parameters.Add("$doc", SqliteType.Text);
        field.Parameters.AddWithValue("$library", Library);
        var key = field.Parameters.Add("$key", SqliteType.Text);
        var sort = field.Parameters.Add("$sort", SqliteType.Text);
        var text = field.Parameters.Add("$text", SqliteType.Text);
        for (var i = 0; i < Count; i++)
        {
            var description = i % 1500 == 7
                ? new string('描', 120) + "尾部特征"   // a text longer than the sortable start: found by its end only
                : $"隐患描述 {i}";
            var values = new Dictionary<string, string>
            {
                ["inspectedUnit"] = units[i % units.Length],
                ["hazardDescription"] = description,
                ["location"] = i % 1000 == 4 ? "罕见地点" : Locations[i % Locations.Length],
                ["grade"] = i % 7 == 0 ? "重大" : "一般",
            };
            if (i % 11 != 0)
            {
                values["deadline"] = new DateOnly(2026, 1, 1).AddDays(i % 50).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            var documentId = Guid.NewGuid().ToString().ToUpperInvariant();
            id.Value = doc.Value = documentId;
            title.Value = string.Create(CultureInfo.InvariantCulture, $"隐患整改通知-{i:D5}");
            unit.Value = values["inspectedUnit"];
            meta.Value = JsonSerializer.Serialize(values);
            at.Value = start + ((i % 3000) * TimeSpan.TicksPerMinute);   // pairs of orders share a time: ties broken by id
            status.Value = i % 4 == 0 ? "Pending" : "Draft";
            await document.ExecuteNonQueryAsync();
            var stage = i % 4 == 0 ? "pending" : "draft";
            foreach (var (k, v) in values.Append(new("$unit", values["inspectedUnit"])).Append(new("$stage", stage)))
            {
                key.Value = k;
                text.Value = v;
                sort.Value = v.Length > 100 ? v[..100] : v;
                await field.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    private sealed record Row(Guid Id, string IdText, string Title, long UpdatedAt, Dictionary<string, string> Values, string Unit, string Stage)
    {
        public bool Is(string key, string value) => Values.TryGetValue(key, out var v) && v == value;

        public bool Between(string key, string from, string to) =>
            Values.TryGetValue(key, out var v) && string.CompareOrdinal(v, from) >= 0 && string.CompareOrdinal(v, to) <= 0;

        public bool Contains(string key, string part) => Values.TryGetValue(key, out var v) && v.Contains(part, StringComparison.Ordinal);
    }
}
