using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.ScaleOut;

/// <summary>Library lists (column filters, ranges, contains, sorts, views) and the export on PostgreSQL as on SQLite,
/// with each way of reading a page (walked or collected) and of counting several filters (id lists or lookups).</summary>
public sealed class PostgresListTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("0", "IdLists")]
    [InlineData("2147483647", "Lookups")]
    public async Task SortFilterViewAndExport_AnswerTheSameOnPostgreSql(string? walkBudget, string? countPlan)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string>(database.Settings());
        if (walkBudget is not null)
        {
            settings["Lists:WalkBudget"] = walkBudget;
        }

        if (countPlan is not null)
        {
            settings["Lists:CountPlan"] = countPlan;
        }

        await using var app = new AppFactory(settings: settings);
        var inspector = await app.ClientForAsync("wujie");
        foreach (var (title, grade, deadline, location) in new[]
        {
            ("甲", "重大", "2026-03-01", "甲类仓库东侧"), ("乙", "一般", "2026-02-01", "配电房"), ("丙", "重大", "2026-01-10", "储罐区"),
        })
        {
            var response = await inspector.PostAsync("/api/libraries/rectification-orders/documents", TestFiles.Upload(TestFiles.Pdf(title), "o.pdf",
                new { inspectedUnit = "xiangnan-chemical", hazardDescription = "隐患", location, grade, deadline }, title));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var head = await app.ClientForAsync("wangqiang");
        async Task<string[]> TitlesAsync(string query)
        {
            var list = await head.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?{query}");
            var titles = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();
            Assert.Equal(titles.Length, list.GetProperty("totalCount").GetInt32());   // every match fits on the page
            return titles;
        }

        Assert.Equal(["丙", "乙", "甲"], await TitlesAsync("sort=deadline"));
        Assert.Equal(["甲", "丙"], await TitlesAsync($"sort=-deadline&{F("grade", "重大")}"));
        Assert.Equal(["甲", "乙"], await TitlesAsync($"sort=-deadline&{F("deadline", "2026-02-01..")}"));
        Assert.Equal(["甲"], await TitlesAsync($"{F("location", "仓库")}&{F("grade", "重大")}"));
        Assert.Equal(["甲"], await TitlesAsync($"sort=deadline&{F("grade", "重大")}&{F("deadline", "2026-02-01..")}"));
        Assert.Equal(["乙", "甲"], await TitlesAsync($"sort=deadline&{F("unit", "xiangnan-chemical")}&{F("deadline", "2026-01-20..2026-03-31")}"));
        Assert.Equal(["丙", "甲"], await TitlesAsync("view=major&sort=deadline"));

        var export = await head.GetAsync($"/api/libraries/rectification-orders/documents/export?format=csv&sort=title&{F("grade", "重大")}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(3, (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static string F(string key, string value) => Uri.EscapeDataString($"filter[{key}]") + "=" + Uri.EscapeDataString(value);
}
