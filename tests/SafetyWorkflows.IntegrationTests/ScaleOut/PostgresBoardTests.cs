using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MiniExcelLibs;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.ScaleOut;

/// <summary>The hazard board's queries (unit lists, listing steps, its version) on PostgreSQL as on SQLite.</summary>
public sealed class PostgresBoardTests
{
    [Fact]
    public async Task Board_Export_AndStatistics_AnswerOnPostgreSql_ForTheTownshipAndAVillageHead()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var app = new AppFactory(settings: database.Settings());
        var driver = new ApprovalDriver(app);
        var listed = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("shitang-quarry", "重大"), "石塘采石场边坡松动整改通知");
        await driver.DecideAsync("wangqiang", listed, "approve", "同意下达");
        await driver.DecideAsync("liuhua", listed, "approve", "挂牌督办");
        await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("huaqiao-primary", "一般"), "花桥完小围墙开裂整改通知");

        var township = await (await app.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/board/hazards");
        var village = await (await app.ClientForAsync("yangshan")).GetFromJsonAsync<JsonElement>("/api/board/hazards");
        var export = await (await app.ClientForAsync("yangshan")).GetAsync("/api/board/hazards/export?format=xlsx");
        var statistics = await (await app.ClientForAsync("wangqiang")).GetAsync("/api/board/statistics");

        Assert.Equal(2, township.GetProperty("items").GetArrayLength());
        var quarry = township.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("documentId").GetGuid() == listed);
        Assert.Equal((true, "刘华"), (quarry.GetProperty("listed").GetBoolean(), quarry.GetProperty("holder").GetString()));
        Assert.Equal(["花桥完小围墙开裂整改通知"], village.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var sheet = new MemoryStream(await export.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, sheet.Query(useHeaderRow: false).Count());
        Assert.Equal(HttpStatusCode.OK, statistics.StatusCode);
    }

    private static object Order(string unit, string grade) => new
    {
        inspectedUnit = unit,
        hazardDescription = "隐患",
        location = "现场",
        grade,
        deadline = "2027-06-30",
        inspector = "wujie",
    };
}
