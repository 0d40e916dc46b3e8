using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>
/// One policy for tasks (issue 15, finding 4): whoever may see the task's document may open the task (the trail shows it
/// anyway, and a 抄送 or 督办 notice links to it), only its assignee may act on it, and every task endpoint and the task
/// page answer alike.
/// </summary>
public sealed class TaskAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task ACopyRecipient_OpensTheTaskTheNoticeLinksTo_ButMayNotActOnIt()
    {
        var driver = new ApprovalDriver(App);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), "青山村责任书（抄送阅知）");
        var task = Assert.Single(await driver.OpenTasksAsync("wangqiang", id));
        await driver.HandOverAsync("wangqiang", id, "copy", "liuhua");
        var leader = await App.ClientForAsync("liuhua");

        var detail = await leader.GetAsync($"/api/tasks/{task}");
        var page = await leader.GetAsync($"/tasks/{task}");
        var decided = await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve" });

        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Empty((await detail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("task").GetProperty("allowedActions").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("青山村责任书（抄送阅知）", html);
        Assert.DoesNotContain("class=\"decision\"", html);
        await ProblemAssert.IsProblemAsync(decided, HttpStatusCode.Forbidden);
        Assert.Single(await driver.OpenTasksAsync("wangqiang", id));
    }

    [Fact]
    public async Task TheAssigneeAlone_IsOfferedActions_NotEvenAnAdministrator()
    {
        var driver = new ApprovalDriver(App);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), "青山村责任书（谁可办理）");
        var task = Assert.Single(await driver.OpenTasksAsync("wangqiang", id));

        var forAssignee = await (await App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>($"/api/tasks/{task}");
        var forAdmin = await (await App.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/tasks/{task}");
        var forVillageHead = await (await App.ClientForAsync("yangshan")).GetFromJsonAsync<JsonElement>($"/api/tasks/{task}");
        var adminDecides = await (await App.ClientForAsync("admin")).PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve" });

        Assert.Contains("approve", Actions(forAssignee));
        Assert.Empty(Actions(forAdmin));
        Assert.Empty(Actions(forVillageHead));
        await ProblemAssert.IsProblemAsync(adminDecides, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SomeoneWhoMayNotSeeTheDocument_IsRefusedTheTask_AlikeOnEveryTaskEndpointAndThePage()
    {
        var driver = new ApprovalDriver(App);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), "青山村责任书（外单位）");
        var task = Assert.Single(await driver.OpenTasksAsync("wangqiang", id));
        var stranger = await App.ClientForAsync("heping");

        foreach (var url in new[] { $"/api/tasks/{task}", $"/api/tasks/{task}/files", $"/api/tasks/{task}/clocks", $"/api/documents/{id}/trail", $"/api/documents/{id}/evidence" })
        {
            await ProblemAssert.IsProblemAsync(await stranger.GetAsync(url), HttpStatusCode.Forbidden);
        }

        await ProblemAssert.IsProblemAsync(await stranger.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve" }), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await stranger.PostAsync($"/api/tasks/{task}/files", new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Pdf("x")), "file", "x.pdf" } }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/tasks/{task}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync($"/api/tasks/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    private static IEnumerable<string?> Actions(JsonElement detail) =>
        detail.GetProperty("task").GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString());
}
