using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>
/// Each chain from upload to its final status through the pages only, as each official in turn, on a 390×844 phone:
/// no API call after the seeds. Covers evidence upload through the phone's file input, 拒签 with a reason, 退回 to a
/// step chosen by its name, 转办 and 加签. Screenshots of every step are kept under <c>screenshots/40-…</c>.
/// </summary>
public sealed class OfficialsPathBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int Width = 390;
    private const int Height = 844;

    [Fact]
    public async Task RectificationOrder_FromUploadToClosed_ThroughThePages()
    {
        // The clerk drafts the notice after 吴杰's inspection; he, who found the hazard, re-inspects it.
        var title = $"湘南化工储罐区静电接地隐患 {Suffix()}";
        var clerk = await SignedInAsync("zhaomin");
        await UploadAsync(clerk, "rectification-orders", title, "order.pdf", new()
        {
            ["m_inspectedUnit"] = "湘南化工贸易有限公司",
            ["m_grade"] = "一般",
            ["m_deadline"] = "2027-03-31",
            ["m_inspector"] = "吴杰（安监站）",
        }, new()
        {
            ["m_hazardDescription"] = "储罐区静电接地失效",
            ["m_location"] = "甲类仓库东侧",
            ["m_legalBasis"] = "《安全生产法》第三十六条",
        });
        await Shot(clerk, "40-order-01-uploaded");
        await SubmitAsync(clerk);

        var head = await OpenTaskAsync("wangqiang", title, "40-order-02-head");
        await DecideAsync(head, "同意", "同意下达");

        // The unit refuses to sign, with a reason; the order still goes on to the evidence step.
        var unit = await OpenTaskAsync("heping", title, "40-order-03-ack");
        await DecideAsync(unit, "拒签", null, expectRefusal: "须写明理由");
        await DecideAsync(unit, "拒签", "整改期限过短，申请延期至四月");

        var evidence = await OpenTaskAsync("heping", title, "40-order-04-evidence");
        var inputs = evidence.Locator("form.upload input[type=file]");
        await Assertions.Expect(inputs).ToHaveCountAsync(4);
        Assert.Equal("image/*,application/pdf,.doc,.docx,.xls,.xlsx", await inputs.First.GetAttributeAsync("accept"));
        // Too large or of the wrong kind: said next to the inputs before anything is sent.
        var other = evidence.GetByLabel("其他材料");
        await other.SetInputFilesAsync(new FilePayload { Name = "现场录像.pdf", MimeType = "application/pdf", Buffer = new byte[(int)fixture.App.MaxUploadBytes + 1] });
        await Assertions.Expect(evidence.Locator(".upload-error")).ToContainTextAsync("现场录像.pdf：超过");
        await other.SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/octet-stream", Buffer = [1, 2, 3] });
        await Assertions.Expect(evidence.Locator(".upload-error")).ToContainTextAsync("setup.exe：不支持该文件类型");
        await Shot(evidence, "40-order-04b-evidence-refused");
        await other.SetInputFilesAsync(Array.Empty<FilePayload>());
        await Assertions.Expect(evidence.Locator(".upload-error")).ToBeHiddenAsync();
        await evidence.GetByLabel("整改方案").SetInputFilesAsync(new FilePayload { Name = "整改方案.pdf", MimeType = "application/pdf", Buffer = TestFiles.Pdf("方案") });
        await evidence.GetByLabel("整改前照片").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "整改前-1.png", MimeType = "image/png", Buffer = TestFiles.Photo(0xB3, 0x26, 0x1E) },
            new FilePayload { Name = "整改前-2.png", MimeType = "image/png", Buffer = TestFiles.Photo(0xE0, 0x8A, 0x1E) },
        });
        await evidence.GetByLabel("整改后照片").SetInputFilesAsync(new FilePayload { Name = "整改后.png", MimeType = "image/png", Buffer = TestFiles.Photo(0x2E, 0x7D, 0x32) });
        await Assertions.Expect(evidence.Locator(".file-pick .chosen").Nth(1)).ToHaveTextAsync("整改前-1.png、整改前-2.png");
        await Shot(evidence, "40-order-05-evidence-chosen");
        await evidence.Locator("#evidence").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "40-order-05b-evidence-card.png") });
        await evidence.GetByRole(AriaRole.Button, new() { Name = "上传材料" }).ClickAsync();
        await Assertions.Expect(evidence.Locator(".evidence li")).ToHaveCountAsync(4);
        await Assertions.Expect(evidence.Locator(".evidence li[data-label=before]")).ToHaveCountAsync(2);
        await Shot(evidence, "40-order-06-evidence-uploaded");
        await DecideAsync(evidence, "报送", "已按要求整改完毕");

        // The inspector who found the hazard re-inspects, reading the evidence with its labels.
        var reinspect = await OpenTaskAsync("wujie", title, "40-order-07-reinspect");
        await Assertions.Expect(reinspect.Locator(".evidence li", new() { HasText = "整改后照片" })).ToHaveCountAsync(1);
        await Assertions.Expect(reinspect.Locator(".evidence img.thumb")).ToHaveCountAsync(3);
        await Assertions.Expect(reinspect.Locator(".evidence img.thumb").First).ToHaveJSPropertyAsync("naturalWidth", 48);
        await reinspect.Locator("#evidence").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "40-order-07b-reinspect-evidence.png") });
        await DecideAsync(reinspect, "同意", "复查合格，同意销号");

        await AssertFinalStatusAsync(clerk, title, "rectification-orders", "已销号", "40-order-08-closed");
    }

    [Fact]
    public async Task ResponsibilityLetter_SentBackByStepName_AddedApprover_Signed_ThroughThePages()
    {
        var title = $"青山村2027年度安全生产责任书 {Suffix()}";
        var clerk = await SignedInAsync("zhaomin");
        await UploadAsync(clerk, "responsibility-letters", title, "letter.pdf", new()
        {
            ["m_counterpartyUnit"] = "青山村",
            ["m_counterpartyKind"] = "村(社区)",
        }, new() { ["m_year"] = "2027" });
        await SubmitAsync(clerk);

        await DecideAsync(await OpenTaskAsync("wangqiang", title, "41-letter-01-review"), "同意", "同意");

        // The deputy mayor sends it back to 安办负责人审核, chosen by its name.
        var leader = await OpenTaskAsync("liuhua", title, "41-letter-02-leader");
        var target = leader.Locator("select[name=toStep]");
        await Assertions.Expect(target.Locator("option", new() { HasText = "安办负责人审核" })).ToHaveCountAsync(1);
        Assert.DoesNotContain("review", await target.InnerTextAsync(), StringComparison.Ordinal);
        await target.SelectOptionAsync(new SelectOptionValue { Label = "安办负责人审核" });
        await leader.GetByLabel("意见或理由").FillAsync("第三条考核指标需与年度计划一致");
        await Shot(leader, "41-letter-03-send-back");
        await leader.Locator("#decide").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "41-letter-03b-decide-card.png") });
        await leader.Locator("fieldset.send-back").GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
        await DoneAsync(leader, "退回");

        await DecideAsync(await OpenTaskAsync("wangqiang", title, "41-letter-04-review-again"), "同意", "已按意见修改");

        // 加签: the deputy mayor asks the safety station's inspector to approve first; it then comes back to her.
        var again = await OpenTaskAsync("liuhua", title, "41-letter-05-leader-again");
        await HandOverAsync(again, "吴杰（安监站）", "加签");
        await DecideAsync(await OpenTaskAsync("wujie", title, "41-letter-06-added"), "同意", "考核指标无误");
        await DecideAsync(await OpenTaskAsync("liuhua", title, "41-letter-07-back"), "同意", "同意");

        await DecideAsync(await OpenTaskAsync("zhoujun", title, "41-letter-08-countersign"), "同意", "同意");
        await DecideAsync(await OpenTaskAsync("sunli", title, "41-letter-09-countersign"), "同意", "同意");

        var sign = await OpenTaskAsync("yangshan", title, "41-letter-10-sign");
        await DecideAsync(sign, "签字", null);

        await AssertFinalStatusAsync(clerk, title, "responsibility-letters", "已签订", "41-letter-11-signed");
    }

    [Fact]
    public async Task EmergencyPlan_Reassigned_Published_Filed_ThroughThePages()
    {
        var title = $"鸿运烟花爆竹批发部火灾现场处置方案 {Suffix()}";
        var clerk = await SignedInAsync("zhaomin");
        await UploadAsync(clerk, "emergency-plans", title, "plan.pdf", new()
        {
            ["m_ownerUnit"] = "鸿运烟花爆竹批发部",
            ["m_planType"] = "现场处置方案",
            ["m_riskClass"] = "低风险",
        }, []);
        await SubmitAsync(clerk);

        // 转办: the safety head hands the formal review to a colleague, chosen by name.
        var head = await OpenTaskAsync("wangqiang", title, "42-plan-01-formal");
        await HandOverAsync(head, "陈静（安委会）", "转办");
        await DecideAsync(await OpenTaskAsync("chenjing", title, "42-plan-02-reassigned"), "同意", "形式审查合格");

        await DecideAsync(await OpenTaskAsync("linfang", title, "42-plan-03-expert"), "同意", "论证通过");
        await DecideAsync(await OpenTaskAsync("liuhua", title, "42-plan-04-leader"), "同意", "同意公布");
        await DecideAsync(await OpenTaskAsync("luohong", title, "42-plan-05-sign"), "签字", null);

        var filing = await OpenTaskAsync("luohong", title, "42-plan-06-filing");
        await Assertions.Expect(filing.Locator("#evidence h2")).ToHaveTextAsync("报送材料");
        await Assertions.Expect(filing.Locator("form.upload input[type=file]")).ToHaveCountAsync(1);
        await filing.GetByLabel("材料", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "备案回执.pdf", MimeType = "application/pdf", Buffer = TestFiles.Pdf("回执") });
        await filing.GetByRole(AriaRole.Button, new() { Name = "上传材料" }).ClickAsync();
        await Assertions.Expect(filing.Locator(".evidence li")).ToHaveCountAsync(1);
        await DecideAsync(filing, "报送", "已报县应急管理局备案");

        await AssertFinalStatusAsync(clerk, title, "emergency-plans", "已备案", "42-plan-07-filed");
    }

    private static string Suffix() => Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<IPage> SignedInAsync(string userName)
    {
        var page = await fixture.NewPageAsync(Width, Height);
        await BrowserFixture.SignInAsync(page, userName);
        return page;
    }

    /// <summary>The upload page: title, file, choices picked by their visible labels, free fields typed.</summary>
    private static async Task UploadAsync(IPage page, string library, string title, string fileName, Dictionary<string, string> choices, Dictionary<string, string> fields)
    {
        await page.GotoAsync($"/libraries/{library}/upload");
        await page.Locator("input[name=title]").FillAsync(title);
        await page.Locator("input[name=file]").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = TestFiles.Pdf(title) });
        foreach (var (name, label) in choices)
        {
            var field = page.Locator($"[name={name}]");
            if (await field.GetAttributeAsync("type") == "date")
            {
                await field.FillAsync(label);
            }
            else
            {
                await field.SelectOptionAsync(new SelectOptionValue { Label = label });
            }
        }

        foreach (var (name, value) in fields)
        {
            await page.Locator($"[name={name}]").FillAsync(value);
        }

        await page.Locator("form.card button[type=submit]").ClickAsync();
        await BrowserFixture.ExpectUrlAsync(page, url => Regex.IsMatch(url, "/documents/[0-9a-f-]{36}$"), "the new document's page");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
    }

    private static async Task SubmitAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审批" }).ClickAsync();
        await Assertions.Expect(page.Locator(".heading .badge")).ToHaveTextAsync("审批中");
    }

    /// <summary>Signs in as the official, finds the document in their inbox and opens its task.</summary>
    private async Task<IPage> OpenTaskAsync(string userName, string title, string screenshot)
    {
        var page = await SignedInAsync(userName);
        await page.GotoAsync("/inbox");
        var item = page.Locator(".tasks li", new() { HasText = title });
        await Assertions.Expect(item).ToHaveCountAsync(1);
        await item.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"{screenshot} scrolls sideways");
        await Shot(page, screenshot);
        return page;
    }

    /// <summary>Types the opinion (if any) and presses the action's button; a refusal must show its reason on the page.</summary>
    private static async Task DecideAsync(IPage page, string button, string? opinion, string? expectRefusal = null)
    {
        var box = page.Locator("textarea[name=opinion]");
        await box.FillAsync(opinion ?? "");
        await page.Locator("#decide .answers").GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        if (expectRefusal is not null)
        {
            await Assertions.Expect(page.Locator("#decide .error")).ToContainTextAsync(expectRefusal);
            return;
        }

        await DoneAsync(page, button);
        await Assertions.Expect(page.Locator(".tasks li").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>Waits for the inbox's 已办 tab after an action; a refused or stuck action fails with what the page showed.</summary>
    private static Task DoneAsync(IPage page, string action) =>
        BrowserFixture.ExpectUrlAsync(page, url => url.Contains("state=done", StringComparison.Ordinal), $"已办 after '{action}'");

    private static async Task HandOverAsync(IPage page, string person, string button)
    {
        await page.Locator("select[name=toUserName]").SelectOptionAsync(new SelectOptionValue { Label = person });
        await page.Locator("textarea[name=opinion]").FillAsync("请协助办理");
        await page.Locator("fieldset.hand-over").GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await DoneAsync(page, button);
        await page.Context.CloseAsync();
    }

    private static async Task AssertFinalStatusAsync(IPage clerk, string title, string library, string status, string screenshot)
    {
        await clerk.GotoAsync($"/libraries/{library}?q={Uri.EscapeDataString(title)}");
        await clerk.Locator(".doc-list a", new() { HasText = title }).ClickAsync();
        await Assertions.Expect(clerk.Locator(".heading .badge")).ToHaveTextAsync(status);
        await Shot(clerk, screenshot);
    }

    private static Task Shot(IPage page, string name) => BrowserFixture.ScreenshotAsync(page, name);
}
