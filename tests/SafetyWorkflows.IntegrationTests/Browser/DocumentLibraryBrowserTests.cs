using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

public sealed class DocumentLibraryBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Clerk_SignsIn_UploadsADocument_AndSeesItListed_InChinese()
    {
        var page = await fixture.NewPageAsync();
        var title = $"东岳建设安置房脚手架整改-{Guid.NewGuid().ToString("N")[..6]}";

        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("用户名").FillAsync("zhaomin");
        await page.GetByLabel("密码").FillAsync(AppFactory.DemoPassword);
        await BrowserFixture.ScreenshotAsync(page, "01-login");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        Assert.True(await BrowserFixture.WaitPastLoginAsync(page), "the sign-in did not leave /login");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "文档库" })).ToBeVisibleAsync();
        await page.Locator("a.tile", new() { HasText = "隐患整改通知" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "上传文档" }).ClickAsync();

        await page.GetByLabel("标题").FillAsync(title);
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "整改通知书.pdf",
            MimeType = "application/pdf",
            Buffer = TestFiles.Pdf("browser"),
        });
        await page.Locator("select[name=m_inspectedUnit]").SelectOptionAsync("dongyue-construction");
        await page.Locator("input[name=m_hazardDescription]").FillAsync("外脚手架连墙件缺失");
        await page.Locator("input[name=m_location]").FillAsync("3号楼北侧");
        await page.Locator("select[name=m_grade]").SelectOptionAsync("一般");
        await page.Locator("input[name=m_deadline]").FillAsync("2024-07-15");
        await BrowserFixture.ScreenshotAsync(page, "02-upload-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "上传文档" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".badge").First).ToHaveTextAsync("草稿");
        await BrowserFixture.ScreenshotAsync(page, "03-document");

        await page.GotoAsync("/libraries/rectification-orders");
        await Assertions.Expect(page.Locator(".doc-list")).ToContainTextAsync(title);
        await Assertions.Expect(page.Locator(".doc-list")).ToContainTextAsync("东岳建设工程有限公司");
        await BrowserFixture.ScreenshotAsync(page, "04-library-list");
    }

    [Fact]
    public async Task PhoneViewport_ListStaysReadable_AndEnglishSwitchWorks()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名").FillAsync("wangqiang");
        await page.GetByLabel("密码").FillAsync(AppFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        Assert.True(await BrowserFixture.WaitPastLoginAsync(page), "the sign-in did not leave /login");

        await page.GotoAsync("/libraries/responsibility-letters");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "安全生产责任书" })).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the page scrolls sideways on a phone");
        await BrowserFixture.ScreenshotAsync(page, "05-phone-list");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Responsibility letters" })).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the English page scrolls sideways on a phone");
        await BrowserFixture.ScreenshotAsync(page, "06-phone-english");
    }
}
