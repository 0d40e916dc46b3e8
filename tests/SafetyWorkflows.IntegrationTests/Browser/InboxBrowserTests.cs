using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

public sealed class InboxBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1280, 900, "desktop")]
    [InlineData(390, 844, "phone")]
    public async Task Official_ApprovesFromTheInbox_ItMovesToDone_AndTheNextOfficialSeesTheirs(int width, int height, string name)
    {
        var title = $"{name} 青山村 2024 年安全生产责任书 {Guid.NewGuid().ToString("N")[..4]}";
        await SubmitLetterAsync(title);
        var page = await fixture.NewPageAsync(width, height);

        await BrowserFixture.SignInAsync(page, "wangqiang");
        await page.GotoAsync("/inbox");
        await Assertions.Expect(page.Locator(".tabs a.active")).ToContainTextAsync("待办");
        var item = page.Locator(".tasks li", new() { HasText = title });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"10-{name}-inbox");
        await item.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("dd.step")).ToHaveTextAsync("安办负责人审核");
        await page.GetByLabel("意见").FillAsync("同意，请分管领导审批");
        await BrowserFixture.ScreenshotAsync(page, $"11-{name}-task");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the task page scrolls sideways");
        await page.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();

        await BrowserFixture.ExpectUrlAsync(page, url => url.Contains("state=done", StringComparison.Ordinal), "已办");
        await Assertions.Expect(page.Locator(".tasks li", new() { HasText = title })).ToContainTextAsync("同意");
        await BrowserFixture.ScreenshotAsync(page, $"12-{name}-done");
        await page.GotoAsync("/inbox");
        await Assertions.Expect(page.Locator(".tasks li", new() { HasText = title })).ToHaveCountAsync(0);

        var next = await fixture.NewPageAsync(width, height);
        await BrowserFixture.SignInAsync(next, "liuhua");
        await next.GotoAsync("/inbox");
        await Assertions.Expect(next.Locator(".tasks li", new() { HasText = title })).ToContainTextAsync("分管安全副镇长审批");
        await BrowserFixture.ScreenshotAsync(next, $"13-{name}-next-official");
    }

    /// <summary>
    /// The document's PDF loads only when the official opens its preview: Chromium's PDF viewer, once loaded, takes the
    /// focus and scrolls the page to itself, which pulled officials out of the opinion box as they typed.
    /// </summary>
    [Fact]
    public async Task FilePreview_LoadsWhenOpened_AndLeavesTheOpinionBoxAlone()
    {
        var title = $"预览 青山村 2024 年安全生产责任书 {Guid.NewGuid().ToString("N")[..4]}";
        await SubmitLetterAsync(title);
        var page = await fixture.NewPageAsync();
        var fetched = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/content", StringComparison.Ordinal))
            {
                lock (fetched)
                {
                    fetched.Add(request.Url);
                }
            }
        };
        await BrowserFixture.SignInAsync(page, "wangqiang");
        await page.GotoAsync("/inbox");
        await page.Locator(".tasks li", new() { HasText = title }).Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("dd.step")).ToHaveTextAsync("安办负责人审核");

        var box = page.Locator("textarea[name=opinion]");
        await box.FocusAsync();
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(1000);
        Assert.True(await box.EvaluateAsync<bool>("e => document.activeElement === e"), "the opinion box lost the focus");
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("() => window.scrollY"));
        lock (fetched)
        {
            Assert.Empty(fetched);
        }

        var preview = page.Locator("details.preview-box");
        await preview.Locator("summary").ClickAsync();
        await Assertions.Expect(preview.Locator("iframe.preview")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("/content$"));
        await Assertions.Expect(preview.Locator("iframe.preview")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (fetched)
        {
            // The PDF viewer may ask twice (the document, then a range of it); what matters is that it asks now.
            Assert.NotEmpty(fetched);
        }

        await BrowserFixture.ScreenshotAsync(page, "14-task-preview-open");
    }

    private async Task SubmitLetterAsync(string title)
    {
        var clerk = await fixture.App.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/responsibility-letters/documents",
            TestFiles.Upload(TestFiles.Pdf(title), "责任书.pdf", TestFiles.LetterMetadata("qingshan-village"), title));
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await clerk.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();
    }
}
