using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>
/// /board on real SQLite in headless Chromium: the ECharts charts render with no console error at desktop and phone sizes
/// in both languages, the counts on the page match the orders, a click on a chart's bar narrows the list, and a village
/// head's board holds their village only.
/// </summary>
public sealed class BoardBrowserTests(BoardBrowserTests.Fixture fixture) : IClassFixture<BoardBrowserTests.Fixture>
{
    [Theory]
    [InlineData(1280, 900, "zh-CN")]
    [InlineData(390, 844, "zh-CN")]
    [InlineData(1280, 900, "en")]
    [InlineData(390, 844, "en")]
    public async Task Board_DrawsItsCharts_WithCountsMatchingTheOrders_AndABarClickNarrowsTheList(int width, int height, string language)
    {
        var (page, problems) = await OpenBoardAsync("wangqiang", width, height, language);

        foreach (var chart in new[] { "#chart-village", "#chart-industry", "#chart-trend" })
        {
            await Assertions.Expect(page.Locator($"{chart} svg")).ToHaveCountAsync(1);
        }

        var board = await (await fixture.App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/board/hazards");
        var items = board.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(items.Count, await page.Locator("#hazards tbody tr").CountAsync());
        foreach (var level in new[] { "red", "yellow", "green" })
        {
            Assert.Equal(items.Count(i => i.GetProperty("level").GetString() == level).ToString(CultureInfo.InvariantCulture),
                await page.Locator($"[data-count='{level}']").InnerTextAsync());
            Assert.Equal(1, await page.Locator($"#hazards tr[data-level='{level}']").CountAsync());
        }

        Assert.Equal(language == "en" ? "Listed by 刘华" : "挂牌：刘华", await page.Locator("#hazards .badge.listed").InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, $"60-board-{width}-{language}");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the board scrolls sideways");

        await ClickBarAsync(page, "#chart-village", "qingshan-village");
        await Assertions.Expect(page.Locator("#hazards tbody tr:visible")).ToHaveCountAsync(1);
        Assert.Equal("qingshan-village", await page.Locator("#hazards tbody tr:visible").GetAttributeAsync("data-village"));
        await Assertions.Expect(page.Locator("#board-filter")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"61-board-{width}-{language}-drilled");
        await page.Locator("#board-clear").ClickAsync();
        await Assertions.Expect(page.Locator("#hazards tbody tr:visible")).ToHaveCountAsync(3);
        await page.Locator(".level-chip.level-red").ClickAsync();
        await Assertions.Expect(page.Locator("#hazards tbody tr:visible")).ToHaveCountAsync(1);

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        await page.GotoAsync($"/board/statistics?year={today.Year}&quarter={((today.Month - 1) / 3) + 1}");
        await Assertions.Expect(page.Locator("#by-village tr.total td").Nth(1)).ToHaveTextAsync("3");
        await BrowserFixture.ScreenshotAsync(page, $"62-statistics-{width}-{language}");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the statistics page scrolls sideways");
        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    [Fact]
    public async Task AVillageHeadsBoard_ShowsTheirVillageOnly()
    {
        var (page, problems) = await OpenBoardAsync("yangshan", 390, 844, "zh-CN");

        await Assertions.Expect(page.Locator("#chart-village svg")).ToHaveCountAsync(1);
        Assert.Equal(["qingshan-village"], (await page.Locator("#hazards tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.village)")));
        Assert.Equal(["qingshan-village"], await page.EvaluateAsync<string[]>("() => JSON.parse(document.getElementById('board-data').textContent).byVillage.map(v => v.key)"));
        await BrowserFixture.ScreenshotAsync(page, "63-board-390-village-head");
        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    [Fact]
    public async Task AnExpert_HasNoBoardLink_AndCannotOpenTheBoard()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "linfang");

        Assert.Equal(0, await page.Locator("header a[href='/board']").CountAsync());
        var response = await page.GotoAsync("/board");

        Assert.True(response!.Status == 403 || !page.Url.EndsWith("/board", StringComparison.Ordinal), $"{response.Status} {page.Url}");
        Assert.Equal(0, await page.Locator("#hazards").CountAsync());
    }

    private async Task<(IPage Page, List<string> Problems)> OpenBoardAsync(string userName, int width, int height, string language)
    {
        var page = await fixture.NewPageAsync(width, height, language);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        await BrowserFixture.SignInAsync(page, userName);
        if (language == "en")
        {
            await page.GotoAsync("/culture?c=en&returnUrl=/");
        }

        await page.Locator("header a[href='/board']").ClickAsync();
        await BrowserFixture.ExpectUrlAsync(page, url => url.EndsWith("/board", StringComparison.Ordinal), "/board");
        return (page, problems);
    }

    /// <summary>Clicks the middle of a village's stacked bar, found through the chart's own coordinate system.</summary>
    private static async Task ClickBarAsync(IPage page, string chart, string key)
    {
        var point = await page.EvaluateAsync<double[]>(
            @"([selector, key]) => {
                const element = document.querySelector(selector);
                const chart = echarts.getInstanceByDom(element);
                const counts = JSON.parse(document.getElementById('board-data').textContent).byVillage;
                const index = counts.findIndex(c => c.key === key);
                const [x, y] = chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [counts[index].count / 2, index]);
                const box = element.getBoundingClientRect();
                return [box.left + window.scrollX + x, box.top + window.scrollY + y];
            }", new object[] { chart, key });
        await page.Locator(chart).ScrollIntoViewIfNeededAsync();
        var box = await page.Locator(chart).BoundingBoxAsync();
        var top = await page.EvaluateAsync<double>("() => window.scrollY");
        var left = await page.EvaluateAsync<double>("() => window.scrollX");
        await page.Mouse.ClickAsync((float)(point[0] - left), (float)(point[1] - top));
        Assert.NotNull(box);
    }

    /// <summary>Three open orders dated from today: red at 花桥完小 (青山村), yellow at 湘南化工 (柳塘村), green and listed at 鸿运烟花 (双桥村).</summary>
    public sealed class Fixture : BrowserFixture
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
            var driver = new ApprovalDriver(App);
            var red = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("huaqiao-primary", "食堂燃气管老化", "一般", today.AddDays(-2)), "花桥完小食堂燃气管老化整改通知");
            await driver.DecideAsync("wangqiang", red, "approve", "同意下达");
            await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("xiangnan-chemical", "消防通道堵塞", "一般", today.AddDays(1)), "湘南化工消防通道堵塞整改通知");
            var green = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("hongyun-fireworks", "仓库超量储存", "重大", today.AddDays(30)), "鸿运烟花仓库超量储存整改通知");
            await driver.DecideAsync("wangqiang", green, "approve", "同意下达");
            await driver.DecideAsync("liuhua", green, "approve", "挂牌督办");
        }

        private static object Order(string unit, string description, string grade, DateOnly deadline) => new
        {
            inspectedUnit = unit,
            hazardDescription = description,
            location = "现场",
            grade,
            deadline = deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            inspector = "wujie",
        };
    }
}
