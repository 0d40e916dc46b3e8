using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>
/// The zh-CN pages speak the office's language: no port names (TimedOut, SentBack), no rule codes (1WD), and people by
/// their names, never by their logins. The scan reads the visible text of the inbox, a task, a document, the clocks
/// board and the outbox, as the officials who open them, also where a chain stopped on a fault (流程异常).
/// </summary>
public sealed partial class PlainWordsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Logins = ReadLogins();

    [Fact]
    public async Task ChinesePages_ShowNoPortNames_RuleCodes_OrLogins()
    {
        var driver = new ApprovalDriver(fixture.App);
        var title = $"储罐区静电接地隐患整改 {Random.Shared.Next(1000, 9999)}";
        var order = await driver.UploadAndSubmitAsync("wujie", "rectification-orders", TestFiles.OrderMetadata(), title);
        await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
        var letter = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), $"青山村责任书 {title[^4..]}");
        await driver.DecideAsync("wangqiang", letter, "approve", "同意");

        // A plan whose chain stops on a fault after the safety head's decision (流程异常 on the task, document, inbox and clocks).
        await FaultingChain.PublishAsync(await fixture.App.ClientForAsync("admin"), "emergency-plan-revision", FaultingChain.Throws);
        var plan = await driver.UploadAndSubmitAsync("zhaomin", "emergency-plans", new { ownerUnit = "xiangnan-chemical", planType = "综合应急预案", riskClass = "高风险" },
            $"湘南化工综合应急预案 {title[^4..]}");
        var review = Assert.Single(await driver.OpenTasksAsync("wangqiang", plan));
        await driver.DecideAsync("wangqiang", plan, "approve", "同意");

        var pages = new List<(string Who, string Path)>
        {
            ("liuhua", "/inbox"),
            ("liuhua", $"/tasks/{Assert.Single(await driver.OpenTasksAsync("liuhua", order))}"),
            ("liuhua", $"/tasks/{Assert.Single(await driver.OpenTasksAsync("liuhua", letter))}"),
            ("liuhua", "/outbox"),
            ("wangqiang", "/inbox?state=done"),
            ("wangqiang", $"/documents/{order}"),
            ("admin", "/admin/clocks"),
            ("admin", "/admin/libraries"),
            ("admin", $"/documents/{letter}"),
            ("admin", "/outbox"),
            ("secadmin", "/admin/people"),
            ("auditadmin", "/admin/audit"),
            ("wujie", "/account/password"),
            ("wangqiang", $"/tasks/{review}"),
            ("wangqiang", $"/documents/{plan}"),
            ("wangqiang", "/inbox"),
            ("admin", $"/tasks/{Assert.Single(await driver.OpenTasksAsync("admin", plan))}"),
            ("wangqiang", "/assessment/2024"), // the letter above is 青山村's of 2024
            ("wangqiang", "/assessment/2024/qingshan-village"),
            ("admin", "/admin/assessment"),
            ("wangqiang", await SignedLinkAsync(driver)),
        };

        var problems = new List<string>();
        foreach (var (who, path) in pages)
        {
            var page = await fixture.NewPageAsync(390, 844);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    problems.Add($"{path} ({who}): console error {message.Text}");
                }
            };
            await BrowserFixture.SignInAsync(page, who);
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
            var text = await page.InnerTextAsync("body");
            problems.AddRange(Problems(text).Select(p => $"{path} ({who}): {p}"));
            await BrowserFixture.ScreenshotAsync(page, $"30-words-{who}-{path.Trim('/').Split('/', '?')[0]}-{pages.IndexOf((who, path))}");
            await page.Context.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EnglishTaskPage_SpeaksEnglish_ApartFromUserData()
    {
        var driver = new ApprovalDriver(fixture.App);
        var letter = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), $"青山村责任书 {Random.Shared.Next(1000, 9999)}");
        await driver.DecideAsync("wangqiang", letter, "approve", "同意");
        var task = Assert.Single(await driver.OpenTasksAsync("liuhua", letter));

        var page = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(page, "liuhua");
        await page.GotoAsync($"/culture?c=en&returnUrl=/tasks/{task}");
        await Assertions.Expect(page.Locator("#decide h2")).ToHaveTextAsync("Decide");
        await BrowserFixture.ScreenshotAsync(page, "31-english-task");

        // The form's own words (labels, legends, buttons, hints) carry no Chinese; step names and people are data.
        await Assertions.Expect(page.Locator(".preview-box summary")).ToHaveTextAsync("Preview the file");
        var chrome = await page.Locator("#decide label, #decide legend, #decide button, #decide .hint, .fields dt, .preview-box summary").AllInnerTextsAsync();
        var own = chrome.Select(t => t.Split('\n')[0]).Where(t => Cjk().IsMatch(t)).ToList();
        Assert.True(own.Count == 0, "Chinese in the English UI: " + string.Join(" | ", own));
    }

    [Fact]
    public async Task EnglishAssessmentPage_SpeaksEnglish()
    {
        var driver = new ApprovalDriver(fixture.App);
        var letter = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters",
            new { counterpartyUnit = "liutang-village", year = DateTime.UtcNow.Year, counterpartyKind = "村(社区)" }, $"柳塘村责任书 {Random.Shared.Next(1000, 9999)}");
        await driver.DecideAsync("wangqiang", letter, "approve", "同意");

        foreach (var (width, height) in new[] { (390, 844), (1280, 900) })
        {
            var page = await fixture.NewPageAsync(width, height);
            await BrowserFixture.SignInAsync(page, "liuhua");
            await page.GotoAsync($"/culture?c=en&returnUrl=/assessment/{DateTime.UtcNow.Year}");
            await Assertions.Expect(page.Locator("#assessment tr[data-unit='liutang-village']")).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, $"75-assessment-{width}-en");
            var text = await page.InnerTextAsync("main");
            Assert.False(Cjk().IsMatch(text.Replace("柳塘村责任书", "", StringComparison.Ordinal)), "Chinese in the English assessment: " + text);
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the assessment scrolls sideways");
            await page.GotoAsync("/culture?c=zh-CN&returnUrl=/assessment/" + DateTime.UtcNow.Year);
            await BrowserFixture.ScreenshotAsync(page, $"76-assessment-{width}-zh");
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The signed link (/t/{token}) in the unit principal's notice of a 一般 order's 签收 step.</summary>
    private async Task<string> SignedLinkAsync(ApprovalDriver driver)
    {
        var order = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "消防通道堵塞", location = "仓库", grade = "一般", deadline = "2030-12-31", inspector = "wujie",
        }, $"湘南化工消防通道堵塞整改通知 {Random.Shared.Next(1000, 9999)}");
        await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(fixture.App.Services);
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SafetyWorkflows.Infrastructure.Persistence.SafetyDbContext>(scope.ServiceProvider);
        var links = db.Set<SafetyWorkflows.Core.Notifications.Notification>().Where(n => n.DocumentId == order && n.Link != null).Select(n => n.Link!).ToList();
        return Assert.Single(links);
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [Fact]
    public async Task TheScan_CatchesWhatItLooksFor() =>
        Assert.Equal(4, Problems("王强 · TimedOut · 退回 SentBack · 截止前 1WD · 办理人 wangqiang").Count(p => !p.Contains("English word", StringComparison.Ordinal)));

    [Fact]
    public void TheScan_CatchesEnglishFragments() =>
        Assert.Equal(["shows the English word 'approved'"], Problems("已批准 approved · English · PDF"));

    private static List<string> Problems(string text)
    {
        var problems = new List<string>();

        // Links, paths, file names and check sums are not words: a mail body carries its link, a file keeps its name.
        text = NotWords().Replace(text, " ");
        foreach (var word in new[] { "TimedOut", "SentBack" })
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                problems.Add($"shows '{word}'");
            }
        }

        if (RuleCode().Match(text) is { Success: true } code)
        {
            problems.Add($"shows the rule code '{code.Value}'");
        }

        foreach (var word in LatinWord().Matches(text).Select(m => m.Value).Where(w => !AllowedLatin.Contains(w)).Distinct())
        {
            problems.Add($"shows the English word '{word}'");
        }

        foreach (var login in Logins.Where(l => Regex.IsMatch(text, $@"(?<![\w@.]){Regex.Escape(l)}(?![\w@])")))
        {
            problems.Add($"shows the login '{login}'");
        }

        return problems;
    }

    private static string[] ReadLogins()
    {
        var seeds = Path.Combine(AppContext.BaseDirectory, "seeds", "officials.json");
        using var json = JsonDocument.Parse(File.ReadAllText(seeds));
        return json.RootElement.EnumerateArray().Select(o => o.GetProperty("userName").GetString()!).ToArray();
    }

    /// <summary>Latin words a Chinese page may show: the switch to English, file kinds and product names.</summary>
    private static readonly HashSet<string> AllowedLatin = ["English", "PDF", "Word", "Excel", "Teams", "MB", "KB", "Microsoft", "Graph"];

    [GeneratedRegex(@"https?://\S+|\S*/\S+|[\w-]+\.(pdf|png|jpe?g|docx?|xlsx?|txt|json)\b|\b[0-9a-f]{16,}\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotWords();

    [GeneratedRegex(@"[A-Za-z]{2,}")]
    private static partial Regex LatinWord();

    [GeneratedRegex(@"\d+\s*WD\b")]
    private static partial Regex RuleCode();
}
