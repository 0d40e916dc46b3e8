using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.ScaleOut;

/// <summary>文号 on PostgreSQL: two hosts on one database and one shared data directory issue notices at once.</summary>
public sealed class PostgresNoticeTests
{
    [Fact]
    public async Task NoticesIssuedAtOnceOnTwoHosts_GetGapFreeConsecutiveNumbers_AndVerifyOnEitherHost()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var data = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        await using var a = new AppFactory(dataDirectory: data, settings: database.Settings());
        await using var b = new AppFactory(dataDirectory: data, settings: database.Settings());
        await Task.WhenAll(Task.Run(() => a.Services), Task.Run(() => b.Services));
        var driver = new ApprovalDriver(a);
        var orders = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
            {
                inspectedUnit = "xiangnan-chemical", hazardDescription = $"第{i + 1}处静电接地失效", location = "储罐区", grade = "一般", deadline = "2027-06-30",
            }, $"储罐区隐患整改通知{i + 1}");
            await driver.DecideAsync("wangqiang", id, "approve", "同意下达");
            orders.Add(id);
        }

        var onA = await a.ClientForAsync("wangqiang");
        var onB = await b.ClientForAsync("zhaomin");

        var responses = await Task.WhenAll(orders.Select((id, i) => (i % 2 == 0 ? onA : onB).GetAsync($"/api/documents/{id}/notice.pdf")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var sequences = new List<int>();
        foreach (var id in orders)
        {
            var notice = (await onB.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/notices")).EnumerateArray().Single();
            var number = notice.GetProperty("number").GetString()!;
            Assert.Matches(@"^安办责改〔\d{4}〕\d+号$", number);
            sequences.Add(int.Parse(number[(number.IndexOf('〕') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
            var verify = WebUtility.HtmlDecode(await (IssuedOnB(id) ? a : b).CreateClient().GetStringAsync(new Uri(notice.GetProperty("verifyUrl").GetString()!).AbsolutePath));
            Assert.Contains("data-verdict=\"unchanged\"", verify, StringComparison.Ordinal);
            Assert.Contains("签名有效", verify, StringComparison.Ordinal);
        }

        Assert.Equal(Enumerable.Range(1, orders.Count), sequences.Order());
        Assert.Equal(orders.Count, await database.ScalarAsync("""SELECT "LastNumber" FROM "NoticeCounters" WHERE "Kind" = 'rectification-order'"""));
        Assert.Equal(orders.Count, await database.ScalarAsync("""SELECT count(*) FROM "AuditEntries" WHERE "Action" = 'notice.issue'"""));

        bool IssuedOnB(Guid id) => orders.IndexOf(id) % 2 == 1; // verify on the host that did not issue it
    }
}
