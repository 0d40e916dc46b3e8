using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>An administrator adds a choice column in the page; a clerk's next document is asked for it and keeps it.</summary>
public sealed class LibraryAdminBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_AddsAChoiceColumn_InThePage_AndANewDocumentUsesIt()
    {
        var admin = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(admin, "admin");
        await admin.GotoAsync("/admin/libraries");
        var letters = admin.Locator("details[data-library='responsibility-letters']");
        await letters.Locator("summary").First.ClickAsync();
        var form = letters.Locator("form.add-column");
        await form.GetByLabel("列名", new() { Exact = true }).FillAsync("签订方式");
        await form.GetByLabel("英文列名").FillAsync("Signing method");
        await form.Locator("select[name=type]").SelectOptionAsync(new SelectOptionValue { Label = "选项" });
        await form.Locator("textarea[name=options]").FillAsync("现场签订、书面送达");
        await form.Locator("input[name=required]").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "新增列" }).ClickAsync();
        await Assertions.Expect(admin.Locator("p.ok")).ToContainTextAsync("已保存");

        // A choice added later, through the column's edit form.
        var column = admin.Locator("details[data-library='responsibility-letters'] li[data-column='signingMethod']");
        await column.Locator("summary").ClickAsync();
        await column.GetByLabel("新选项").FillAsync("视频签订");
        await column.GetByRole(AriaRole.Button, new() { Name = "添加选项" }).ClickAsync();
        await Assertions.Expect(admin.Locator("li[data-column='signingMethod'] .choices")).ToHaveTextAsync("现场签订、书面送达、视频签订");
        await BrowserFixture.ScreenshotAsync(admin, "60-library-admin-phone");
        await admin.Context.CloseAsync();

        var clerk = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(clerk, "zhaomin");
        await clerk.GotoAsync("/libraries/responsibility-letters/upload");
        var title = $"青山村责任书（视频签订）{Guid.NewGuid().ToString("N")[..4]}";
        await clerk.GetByLabel("标题").FillAsync(title);
        await clerk.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "责任书.pdf", MimeType = "application/pdf", Buffer = TestFiles.Pdf("letter") });
        await clerk.Locator("select[name=m_counterpartyUnit]").SelectOptionAsync("qingshan-village");
        await clerk.Locator("input[name=m_year]").FillAsync("2027");
        await clerk.Locator("select[name=m_counterpartyKind]").SelectOptionAsync("村(社区)");
        await clerk.Locator("select[name=m_signingMethod]").SelectOptionAsync("视频签订");
        await BrowserFixture.ScreenshotAsync(clerk, "61-upload-with-new-column");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "上传文档" }).ClickAsync();

        await Assertions.Expect(clerk.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(clerk.Locator("dl")).ToContainTextAsync("签订方式");
        await Assertions.Expect(clerk.Locator("dl")).ToContainTextAsync("视频签订");
    }

    [Fact]
    public async Task LibraryAdminPage_InEnglish_HasNoChinese_ApartFromTheNamesStored()
    {
        var page = await fixture.NewPageAsync(1280, 900, "en");
        await BrowserFixture.SignInAsync(page, "admin");
        await page.GotoAsync("/culture?c=en&returnUrl=/admin/libraries");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Libraries", Exact = true })).ToBeVisibleAsync();
        await page.Locator("details[data-library='emergency-plans'] summary").First.ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "62-library-admin-en");
        // Labels and buttons are English; the inputs hold the Chinese names an administrator edits, and a choice column lists the
        // values documents store (data, not words of the UI).
        var text = await page.EvaluateAsync<string>("() => { const m = document.querySelector('main').cloneNode(true); " +
            "m.querySelectorAll('.choices').forEach(e => e.remove()); document.body.appendChild(m); const t = m.innerText; m.remove(); return t; }");
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", text);
    }
}
