using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>
/// A unit principal (何平, 湘南化工) acts on two rectification orders from the links in their notices, on a 390 px phone,
/// never signing in: refuses the first order's 签收 with a reason, signs the second, then uploads the first order's evidence
/// and submits it. The links are refused after their task closed, with a changed token, for another task and after the
/// safety office revoked one; the audit holds every use and refusal with the address and the browser.
/// </summary>
public sealed class TaskLinkBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task APrincipalWithoutAPassword_RefusesSignsAndUploads_ByTheLinks_WhichAreRefusedOnceDoneRevokedChangedOrMisused()
    {
        var driver = new ApprovalDriver(fixture.App);
        var first = await IssueAsync(driver, "储罐区静电接地失效", "湘南化工储罐区静电接地失效整改通知");
        var second = await IssueAsync(driver, "装卸区未设防撞设施", "湘南化工装卸区未设防撞设施整改通知");
        var (firstAck, firstAckLink) = await NoticeLinkAsync(first);
        var (_, secondAckLink) = await NoticeLinkAsync(second);
        var page = await fixture.NewPageAsync(390, 844, "zh-CN");
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // The refused links answer 404/410 on purpose; Chromium logs the page's own status as a console error.
            if (message.Type is "error" or "warning" && !message.Text.Contains("status of 410", StringComparison.Ordinal)
                && !message.Text.Contains("status of 404", StringComparison.Ordinal))
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };

        Assert.StartsWith("/t/", firstAckLink, StringComparison.Ordinal);
        Assert.True(firstAckLink.Length >= 3 + 43, "the token carries at least 128 bits");
        var opened = await page.GotoAsync(firstAckLink);
        Assert.Equal("no-referrer", opened!.Headers["referrer-policy"]);
        Assert.Contains("no-store", opened.Headers["cache-control"], StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("被检查单位签收（谁检查谁签字）");
        await Assertions.Expect(page.Locator(".document-title")).ToHaveTextAsync("湘南化工储罐区静电接地失效整改通知");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the link page scrolls sideways");
        await BrowserFixture.ScreenshotAsync(page, "70-task-link-390-open");
        await page.Locator("textarea[name=opinion]").FillAsync("隐患部位不属于本单位管理范围");
        await page.GetByRole(AriaRole.Button, new() { Name = "拒签" }).ClickAsync();
        await Assertions.Expect(page.Locator("#link-done h1")).ToHaveTextAsync("已拒签");
        await BrowserFixture.ScreenshotAsync(page, "71-task-link-390-refused");

        await page.GotoAsync(secondAckLink);
        await page.GetByRole(AriaRole.Button, new() { Name = "签字" }).ClickAsync();
        await Assertions.Expect(page.Locator("#link-done h1")).ToHaveTextAsync("已签字");

        var (evidenceTask, evidenceLink) = await NoticeLinkAsync(first);
        await page.GotoAsync(evidenceLink);
        await page.Locator("select[name=label]").SelectOptionAsync("after");
        await page.Locator("input[type=file][name=file]").SetInputFilesAsync(new FilePayload { Name = "整改后.png", MimeType = "image/png", Buffer = TestFiles.Png() });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传材料" }).ClickAsync();
        await Assertions.Expect(page.Locator("#evidence li[data-label='after'] .file-name")).ToHaveTextAsync("整改后.png");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the evidence form scrolls sideways");
        await BrowserFixture.ScreenshotAsync(page, "72-task-link-390-evidence");
        await page.GetByRole(AriaRole.Button, new() { Name = "报送" }).ClickAsync();
        await Assertions.Expect(page.Locator("#link-done h1")).ToHaveTextAsync("已报送");

        Assert.Equal(("reinspection", "Refused"), ((await driver.StageAsync(first)).Key, await OutcomeAsync(driver, first, "被检查单位签收（谁检查谁签字）")));
        Assert.Equal("隐患部位不属于本单位管理范围", (await driver.TrailAsync(first)).EnumerateArray().First(s => s.GetProperty("outcome").GetString() == "Refused").GetProperty("opinion").GetString());
        Assert.Equal("Signed", await OutcomeAsync(driver, second, "被检查单位签收（谁检查谁签字）"));

        // Refused: the task closed, a changed token, another task, a revoked link.
        Assert.Equal(410, (await page.GotoAsync(firstAckLink))!.Status);
        await Assertions.Expect(page.Locator("#link-refused .error")).ToHaveAttributeAsync("data-reason", "TaskClosed");
        await BrowserFixture.ScreenshotAsync(page, "73-task-link-390-closed");
        var changed = evidenceLink[..^1] + (evidenceLink[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(404, (await page.GotoAsync(changed))!.Status);
        await Assertions.Expect(page.Locator("#link-refused .error")).ToHaveAttributeAsync("data-reason", "Unknown");

        var (secondEvidence, secondEvidenceLink) = await NoticeLinkAsync(second);
        var english = await fixture.NewPageAsync(390, 844, "en");
        await english.GotoAsync(secondEvidenceLink + "?culture=en");
        await Assertions.Expect(english.Locator("#decide h2")).ToHaveTextAsync("Decide");
        await BrowserFixture.ScreenshotAsync(english, "74-task-link-390-en");
        await page.GotoAsync(secondEvidenceLink);
        await page.Locator("#decide input[name=taskId]").EvaluateAsync($"e => e.value = '{firstAck}'");
        await page.GetByRole(AriaRole.Button, new() { Name = "报送" }).ClickAsync();
        await Assertions.Expect(page.Locator("#link-refused .error")).ToHaveAttributeAsync("data-reason", "OtherTask");

        // The safety head revokes from the task's page (撤销签名链接).
        var office = await fixture.NewPageAsync(390, 844, "zh-CN");
        await BrowserFixture.SignInAsync(office, "wangqiang");
        await office.GotoAsync($"/tasks/{secondEvidence}");
        await Assertions.Expect(office.Locator("#links .hint")).ToContainTextAsync("何平");
        await BrowserFixture.ScreenshotAsync(office, "77-task-links-revoke");
        await office.Locator("#revoke-links").ClickAsync();
        await Assertions.Expect(office.Locator("#links")).ToHaveCountAsync(0);
        var listed = await (await fixture.App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>($"/api/tasks/{secondEvidence}/links");
        Assert.Equal("wangqiang", Assert.Single(listed.EnumerateArray()).GetProperty("revokedBy").GetString());
        Assert.Equal(410, (await page.GotoAsync(secondEvidenceLink))!.Status);
        await Assertions.Expect(page.Locator("#link-refused .error")).ToHaveAttributeAsync("data-reason", "Revoked");
        var byPrincipal = await (await fixture.App.ClientForAsync("heping")).PostAsync($"/api/tasks/{secondEvidence}/links/revoke", null);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, byPrincipal.StatusCode);

        var audit = await (await fixture.App.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit?action=tasklink.");
        var entries = (audit.ValueKind == JsonValueKind.Array ? audit : audit.GetProperty("items")).EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString()!, Summary: e.GetProperty("summary").GetString()!)).ToList();
        var uses = entries.Where(e => e.Action == "tasklink.use").ToList();
        Assert.Contains(uses, e => e.Summary.Contains("拒签", StringComparison.Ordinal));
        Assert.Contains(uses, e => e.Summary.Contains("签字", StringComparison.Ordinal));
        Assert.Contains(uses, e => e.Summary.Contains("上传材料", StringComparison.Ordinal));
        Assert.Contains(uses, e => e.Summary.Contains("报送", StringComparison.Ordinal));
        Assert.All(uses, e => Assert.Contains("IP 127.0.0.1", e.Summary, StringComparison.Ordinal));
        Assert.All(uses, e => Assert.Contains("HeadlessChrome", e.Summary, StringComparison.Ordinal));
        var refusals = entries.Where(e => e.Action == "tasklink.refused").Select(e => e.Summary).ToList();
        foreach (var reason in new[] { "任务已办结", "链接无效", "不是本链接的任务", "已撤销" })
        {
            Assert.Contains(refusals, s => s.Contains(reason, StringComparison.Ordinal) && s.Contains("HeadlessChrome", StringComparison.Ordinal));
        }

        Assert.Contains(entries, e => e.Action == "tasklink.revoke");
        Assert.NotEqual(evidenceTask, secondEvidence);
        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    private static async Task<Guid> IssueAsync(ApprovalDriver driver, string hazard, string title)
    {
        var order = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = hazard, location = "厂区", grade = "一般", deadline = "2030-12-31", inspector = "wujie",
        }, title);
        await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
        return order;
    }

    /// <summary>The newest task notice to the principal about the order, and the link it carries (as a mail would).</summary>
    private async Task<(Guid Task, string Link)> NoticeLinkAsync(Guid order)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var notice = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.Recipient == "heping" && n.DocumentId == order && n.Kind == NotificationKind.TaskAssigned)
            .OrderByDescending(n => n.CreatedAt).FirstAsync();
        Assert.Contains(notice.Link!, notice.Body, StringComparison.Ordinal);
        return (notice.TaskId!.Value, notice.Link!);
    }

    private static async Task<string?> OutcomeAsync(ApprovalDriver driver, Guid order, string step) =>
        (await driver.TrailAsync(order)).EnumerateArray().First(s => s.GetProperty("step").GetString() == step).GetProperty("outcome").GetString();
}
