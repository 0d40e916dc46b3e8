using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.ScaleOut;

/// <summary>Library lists (column filters, ranges, contains, sorts, views) and the export on PostgreSQL as on SQLite.</summary>
public sealed class PostgresListTests
{
    [Fact]
    public async Task SortFilterViewAndExport_AnswerTheSameOnPostgreSql()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var app = new AppFactory(settings: database.Settings());
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
        async Task<string[]> TitlesAsync(string query) =>
            (await head.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?{query}")).GetProperty("items")
                .EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();

        Assert.Equal(["丙", "乙", "甲"], await TitlesAsync("sort=deadline"));
        Assert.Equal(["甲", "丙"], await TitlesAsync($"sort=-deadline&{F("grade", "重大")}"));
        Assert.Equal(["甲", "乙"], await TitlesAsync($"sort=-deadline&{F("deadline", "2026-02-01..")}"));
        Assert.Equal(["甲"], await TitlesAsync($"{F("location", "仓库")}&{F("grade", "重大")}"));
        Assert.Equal(["丙", "甲"], await TitlesAsync("view=major&sort=deadline"));

        var export = await head.GetAsync($"/api/libraries/rectification-orders/documents/export?format=csv&sort=title&{F("grade", "重大")}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(3, (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static string F(string key, string value) => Uri.EscapeDataString($"filter[{key}]") + "=" + Uri.EscapeDataString(value);
}
