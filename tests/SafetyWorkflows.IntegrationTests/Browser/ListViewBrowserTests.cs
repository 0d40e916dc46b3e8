using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>The library list in the page: filters per column, a sort, a shared view saved and opened again, on a phone.</summary>
public sealed class ListViewBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SafetyHead_FiltersSortsAndSavesASharedView_OnAPhone()
    {
        var tag = "看板" + Guid.NewGuid().ToString("N")[..4];
        var inspector = await fixture.App.ClientForAsync("wujie");
        foreach (var (title, grade, deadline) in new[]
        {
            ($"{tag} 液氨储罐", "重大", "2026-05-20"), ($"{tag} 配电箱", "一般", "2026-04-01"),
            ($"{tag} 危化品仓库", "重大", "2026-02-10"), ($"{tag} 锅炉房", "重大", "2026-10-01"),
        })
        {
            var response = await inspector.PostAsync("/api/libraries/rectification-orders/documents", TestFiles.Upload(TestFiles.Pdf(title), "order.pdf",
                new { inspectedUnit = "xiangnan-chemical", hazardDescription = "储罐区静电接地失效", location = "厂区", grade, deadline }, title));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var page = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(page, "wangqiang");
        await page.GotoAsync("/libraries/rectification-orders");
        await page.Locator(".list-filters summary").ClickAsync();
        var form = page.Locator("form.filter-grid");
        await form.GetByLabel("搜索").FillAsync(tag);
        await form.Locator("select[name='filter[grade]']").SelectOptionAsync("重大");
        await form.Locator("input[name='from[deadline]']").FillAsync("2026-01-01");
        await form.Locator("input[name='to[deadline]']").FillAsync("2026-06-30");
        await form.Locator("select[name=sort]").SelectOptionAsync(new SelectOptionValue { Label = "整改期限（升序）" });
        await form.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();

        var titles = page.Locator(".doc-table td.title-cell a");
        await Assertions.Expect(titles).ToHaveTextAsync([$"{tag} 危化品仓库", $"{tag} 液氨储罐"]);
        await Assertions.Expect(page.Locator("p.muted", new() { HasText = "共" })).ToHaveTextAsync("共 2 件");
        await BrowserFixture.ScreenshotAsync(page, "63-list-filtered-phone");

        await page.Locator("form.save-view input[name=name]").FillAsync("上半年重大隐患");
        await page.Locator("form.save-view input[name=shared]").CheckAsync();
        await page.Locator("form.save-view").GetByRole(AriaRole.Button, new() { Name = "保存视图" }).ClickAsync();
        await Assertions.Expect(page.Locator(".views a.current")).ToHaveTextAsync("上半年重大隐患");
        await Assertions.Expect(titles).ToHaveTextAsync([$"{tag} 危化品仓库", $"{tag} 液氨储罐"]);

        // A leader opens the shared view from the tabs.
        var leader = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(leader, "liuhua");
        await leader.GotoAsync("/libraries/rectification-orders");
        await leader.Locator(".views a", new() { HasText = "上半年重大隐患" }).ClickAsync();
        await Assertions.Expect(leader.Locator(".doc-table td.title-cell a")).ToHaveTextAsync([$"{tag} 危化品仓库", $"{tag} 液氨储罐"]);
        await Assertions.Expect(leader.Locator(".doc-table td[data-column=grade]").First).ToHaveTextAsync("重大");
        await BrowserFixture.ScreenshotAsync(leader, "64-list-shared-view-desktop");
    }
}
