using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>The clocks are visible: the admin "clocks" page, the document's deadlines, and the task's next 催办.</summary>
public sealed class ClocksBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1280, 900, "desktop")]
    [InlineData(390, 844, "phone")]
    public async Task PendingDeadlinesAndReminders_AreListedWithTheirRules(int width, int height, string name)
    {
        var title = $"{name} 湘南化工储罐区隐患整改 {Guid.NewGuid().ToString("N")[..4]}";
        var id = await SubmitOrderAsync(title);

        var admin = await fixture.NewPageAsync(width, height);
        await BrowserFixture.SignInAsync(admin, "admin");
        await admin.GotoAsync("/admin/clocks");
        var row = admin.Locator("table.clocks tr", new() { HasText = title }).Filter(new() { HasText = "催办" });
        await Assertions.Expect(row.First).ToContainTextAsync("截止前 1 个工作日催办");
        await Assertions.Expect(admin.Locator("table.clocks tr", new() { HasText = "周期任务" }).First).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("table.clocks")).ToContainTextAsync("节前安全生产大检查");
        await BrowserFixture.ScreenshotAsync(admin, $"20-{name}-clocks");
        Assert.False(await admin.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the clocks page scrolls sideways");

        await admin.GotoAsync($"/documents/{id}");
        await Assertions.Expect(admin.Locator("#clocks")).ToContainTextAsync("办理期限");
        await Assertions.Expect(admin.Locator("#clocks")).ToContainTextAsync("催办");

        var head = await fixture.NewPageAsync(width, height);
        await BrowserFixture.SignInAsync(head, "wangqiang");
        await head.GotoAsync("/inbox");
        await head.Locator(".tasks li", new() { HasText = title }).Locator("a").ClickAsync();
        await Assertions.Expect(head.Locator("dd.next-clock").First).ToContainTextAsync("截止前 1 个工作日催办");
        await BrowserFixture.ScreenshotAsync(head, $"21-{name}-task-next-reminder");
    }

    [Fact]
    public async Task AnOfficial_CannotOpenTheClocksPage()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "zhaomin");

        var response = await page.GotoAsync("/admin/clocks");

        Assert.True(response!.Status == 403 || !page.Url.Contains("/admin/clocks", StringComparison.Ordinal), $"{response.Status} {page.Url}");
        Assert.Equal(0, await page.Locator("table.clocks").CountAsync());
        await page.GotoAsync("/inbox");
        Assert.Equal(0, await page.Locator("a[href='/admin/clocks']").CountAsync());
    }

    private async Task<Guid> SubmitOrderAsync(string title)
    {
        var inspector = await fixture.App.ClientForAsync("wujie");
        var upload = await inspector.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf(title), "整改通知.pdf", TestFiles.OrderMetadata(), title));
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await inspector.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();
        return id;
    }
}
