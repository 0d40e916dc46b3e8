using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.ScaleOut;

/// <summary>The assessment's reads, the weights row and the signed task links on PostgreSQL as on SQLite.</summary>
public sealed class PostgresYearLoopTests
{
    [Fact]
    public async Task Assessment_Weights_AndTaskLinks_AnswerOnPostgreSql()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var app = new AppFactory(settings: database.Settings());
        var driver = new ApprovalDriver(app);
        var year = DateTime.UtcNow.Year;
        var letter = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters",
            new { counterpartyUnit = "xiangnan-chemical", year, counterpartyKind = "重点企业" }, "湘南化工责任书");
        await driver.DecideAsync("wangqiang", letter, "approve", "同意");
        var order = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "隐患", location = "现场", grade = "一般", deadline = "2030-06-30", inspector = "wujie",
        }, "湘南化工隐患整改通知");
        await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
        var ack = Assert.Single(await driver.OpenTasksAsync("heping", order));

        var saved = await (await app.ClientForAsync("admin")).PutAsJsonAsync("/api/assessment/weights",
            new { letter = 10, hazards = 30, statistics = 20, drills = 20, training = 20, vetoSeverity = "重大" });
        var assessment = await (await app.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>($"/api/assessment/{year}");
        var pdf = await (await app.ClientForAsync("wangqiang")).GetAsync($"/api/assessment/{year}/export?format=pdf");
        var links = await (await app.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>($"/api/tasks/{ack}/links");
        var revoked = await (await app.ClientForAsync("wangqiang")).PostAsync($"/api/tasks/{ack}/links/revoke", null);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var row = Assert.Single(assessment.GetProperty("rows").EnumerateArray());
        Assert.Equal(("xiangnan-chemical", 1, 90m), (row.GetProperty("unitId").GetString(), row.GetProperty("hazardsFound").GetInt32(), row.GetProperty("score").GetDecimal()));
        Assert.Equal("重大", assessment.GetProperty("weights").GetProperty("vetoSeverity").GetString());
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        Assert.Equal("heping", Assert.Single(links.EnumerateArray()).GetProperty("userName").GetString());
        Assert.Equal(1, (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
    }
}
