using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>Official notices in the pages on a phone: the signature section of /preferences, the document's 下载公文 button
/// and the public /verify page (zh-CN and English), genuine and altered.</summary>
public sealed class NoticeBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Preferences_UploadsTheSignatureImage_ShowsIt_AndRefusesAPictureItCannotRead()
    {
        var page = await PageAsync(out var errors);
        await BrowserFixture.SignInAsync(page, "wangqiang");
        await page.GotoAsync("/preferences");
        await Assertions.Expect(page.Locator("h2#signature")).ToHaveTextAsync("我的签名");
        await Assertions.Expect(page.Locator(".signature-preview")).ToHaveCountAsync(0);

        var upload = page.Locator("form[action*='handler=Signature'] input[type=file]");
        await upload.SetInputFilesAsync(new FilePayload { Name = "签名.png", MimeType = "image/png", Buffer = TestFiles.Photo(30, 30, 120, size: 120) });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传签名" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ok")).ToContainTextAsync("签名已保存");
        var preview = page.Locator("img.signature-preview");
        await Assertions.Expect(preview).ToBeVisibleAsync();
        Assert.True(await preview.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the preview picture did not load");
        await BrowserFixture.ScreenshotAsync(page, "70-preferences-signature");

        await page.Locator("form[action*='handler=Signature'] input[type=file]")
            .SetInputFilesAsync(new FilePayload { Name = "签名.png", MimeType = "image/png", Buffer = "not a picture"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传签名" }).ClickAsync();
        await Assertions.Expect(page.Locator("section .error")).ToContainTextAsync("PNG 或 JPEG");
        await Assertions.Expect(page.Locator("img.signature-preview")).ToBeVisibleAsync(); // the registered one stays
        await BrowserFixture.ScreenshotAsync(page, "71-preferences-signature-refused");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DocumentPage_OffersTheNotice_AndTheVerifyPage_SaysGenuine_ThenAltered_InChineseAndEnglish()
    {
        var driver = new ApprovalDriver(fixture.App);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "储罐区静电接地失效", location = "甲类仓库东侧", grade = "一般",
            deadline = "2027-06-30", inspector = "wujie",
        }, "甲类仓库静电接地整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");

        var page = await PageAsync(out var errors);
        await BrowserFixture.SignInAsync(page, "heping");
        await page.GotoAsync($"/documents/{id}");
        var button = page.Locator("a.notice-pdf[data-notice='rectification-order']");
        await Assertions.Expect(button).ToContainTextAsync("下载公文");
        var pdf = await page.APIRequest.GetAsync(await button.GetAttributeAsync("href") ?? "");
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        await BrowserFixture.ScreenshotAsync(page, "72-document-notice-button");

        var client = await fixture.App.ClientForAsync("heping");
        var notice = (await client.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/notices")).EnumerateArray().Single();
        var verifyPath = new Uri(notice.GetProperty("verifyUrl").GetString()!).AbsolutePath;
        var sha256 = notice.GetProperty("sha256").GetString()!;

        var anonymous = await PageAsync(out var anonymousErrors);
        await anonymous.GotoAsync(verifyPath);
        await Assertions.Expect(anonymous.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "unchanged");
        await Assertions.Expect(anonymous.Locator("[data-verdict]")).ToContainTextAsync("真实有效");
        await Assertions.Expect(anonymous.Locator("[data-field=number]")).ToHaveTextAsync(notice.GetProperty("number").GetString()!);
        await Assertions.Expect(anonymous.Locator("[data-field=sha256]")).ToHaveTextAsync(sha256);
        await Assertions.Expect(anonymous.Locator("[data-field=signature]")).ToContainTextAsync("签名有效");
        Assert.True(await anonymous.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await BrowserFixture.ScreenshotAsync(anonymous, "73-verify-genuine");

        await anonymous.GotoAsync($"/culture?c=en&returnUrl={Uri.EscapeDataString(verifyPath)}");
        await Assertions.Expect(anonymous.Locator("[data-verdict]")).ToContainTextAsync("Genuine");
        await Assertions.Expect(anonymous.Locator("[data-field=signature]")).ToContainTextAsync("Signature valid");
        await BrowserFixture.ScreenshotAsync(anonymous, "74-verify-genuine-en");

        var path = Path.Combine(fixture.App.FilesDirectory, sha256[..2], sha256[2..4], sha256);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 3] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
        await anonymous.GotoAsync($"/culture?c=zh-CN&returnUrl={Uri.EscapeDataString(verifyPath)}");
        await Assertions.Expect(anonymous.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "altered");
        await Assertions.Expect(anonymous.Locator("[data-verdict]")).ToContainTextAsync("已被篡改");
        await Assertions.Expect(anonymous.Locator("[data-field=signature]")).ToContainTextAsync("签名无效");
        await BrowserFixture.ScreenshotAsync(anonymous, "75-verify-altered");
        Assert.Empty(errors);
        Assert.Empty(anonymousErrors);
    }

    private Task<IPage> PageAsync(out List<string> errors)
    {
        var list = errors = [];
        return Open();

        async Task<IPage> Open()
        {
            var page = await fixture.NewPageAsync(390, 844);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    list.Add(message.Text);
                }
            };
            return page;
        }
    }
}
