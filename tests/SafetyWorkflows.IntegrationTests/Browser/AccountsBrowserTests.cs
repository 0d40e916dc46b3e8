using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>Issue 15: the security administrator's and audit administrator's work, and everyone's password change, in the
/// pages on a phone.</summary>
public sealed partial class AccountsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AReset_InThePage_GivesATemporaryPassword_AndThePersonMustChooseTheirOwn()
    {
        var security = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(security, "secadmin");
        Assert.EndsWith("/admin/people", security.Url, StringComparison.Ordinal);
        var card = security.Locator("li[data-user='fengbin']");
        await card.GetByRole(AriaRole.Button, new() { Name = "重置密码" }).ClickAsync();
        var notice = security.Locator(".temporary-password");
        await Assertions.Expect(notice).ToContainTextAsync("冯斌的临时密码");
        var temporary = await notice.Locator("code").InnerTextAsync();
        await Assertions.Expect(security.Locator("li[data-user='fengbin']")).ToContainTextAsync("须修改密码");
        await BrowserFixture.ScreenshotAsync(security, "50-accounts-reset");

        var official = await fixture.NewPageAsync(390, 844);
        await official.GotoAsync("/login");
        await official.GetByLabel("用户名").FillAsync("fengbin");
        await official.GetByLabel("密码").FillAsync(temporary);
        await official.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await BrowserFixture.ExpectUrlAsync(official, url => url.EndsWith("/account/password", StringComparison.Ordinal), "/account/password");
        await Assertions.Expect(official.Locator(".notice")).ToContainTextAsync("管理员已重置您的密码");

        // Until the change, every other page leads back here.
        await official.GotoAsync("/inbox");
        Assert.EndsWith("/account/password", official.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(official, "51-password-must-change");

        await official.GetByLabel("当前密码").FillAsync(temporary);
        await official.GetByLabel("新密码", new() { Exact = true }).FillAsync("Station-Head-2026");
        await official.GetByLabel("再次输入新密码").FillAsync("Station-Head-2026");
        await official.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Assertions.Expect(official.Locator(".ok")).ToContainTextAsync("密码已修改");
        await official.GotoAsync("/inbox");
        await Assertions.Expect(official.Locator("h1")).ToBeVisibleAsync();
        Assert.EndsWith("/inbox", official.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivating_InThePage_SignsThePersonOutAtOnce()
    {
        var official = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(official, "huangtao");
        await official.GotoAsync("/inbox");
        Assert.EndsWith("/inbox", official.Url, StringComparison.Ordinal);

        var security = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(security, "secadmin");
        await security.Locator("li[data-user='huangtao']").GetByRole(AriaRole.Button, new() { Name = "停用" }).ClickAsync();
        await Assertions.Expect(security.Locator(".ok")).ToContainTextAsync("已停用黄涛的账号");
        await Assertions.Expect(security.Locator("li[data-user='huangtao'] .badge").First).ToHaveTextAsync("已停用");

        await official.ReloadAsync();
        Assert.Contains("/login", official.Url, StringComparison.Ordinal);

        await security.Locator("li[data-user='huangtao']").GetByRole(AriaRole.Button, new() { Name = "启用" }).ClickAsync();
        await Assertions.Expect(security.Locator("li[data-user='huangtao'] .badge").First).ToHaveTextAsync("正常");
    }

    [Fact]
    public async Task TheAuditAdministrator_ReadsAndChecksTheLog_InThePage()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(page, "auditadmin");
        Assert.EndsWith("/admin/audit", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("操作类别").SelectOptionAsync(new SelectOptionValue { Label = "登录与退出" });
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator(".audit li").First).ToBeVisibleAsync();
        var actions = await page.Locator(".audit li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.action)");
        Assert.All(actions, a => Assert.StartsWith("auth.", a, StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "校验审计链" }).ClickAsync();
        await Assertions.Expect(page.Locator(".verify-result")).ToContainTextAsync("审计链完好");
        await BrowserFixture.ScreenshotAsync(page, "52-audit");

        // The audit administrator has no way into documents or accounts.
        await page.GotoAsync("/admin/people");
        Assert.Contains("/forbidden", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAccountsPage_InEnglish_HasNoChineseOfItsOwn()
    {
        var page = await fixture.NewPageAsync(390, 844, "en");
        await BrowserFixture.SignInAsync(page, "secadmin");
        await page.GotoAsync("/culture?c=en&returnUrl=/admin/people");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Accounts");
        await BrowserFixture.ScreenshotAsync(page, "53-accounts-english");

        var chrome = await page.Locator("h1, .muted:not(.small), .accounts button, .accounts .badge, .accounts summary").AllInnerTextsAsync();
        var own = chrome.Where(t => Cjk().IsMatch(t)).ToList();
        Assert.True(own.Count == 0, "Chinese in the English UI: " + string.Join(" | ", own));
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();
}
