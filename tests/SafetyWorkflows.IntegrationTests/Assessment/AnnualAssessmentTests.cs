using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Assessment;

/// <summary>
/// The annual assessment over a year of activity driven through the API on a fake clock (from Monday 2 March 2026):
/// 花桥完小 (学校) signed its letter, closed one order on time and one late, attended one of the two meetings;
/// 鸿运烟花 (重点企业) signed, left an order open past its deadline, has a 现场处置方案 (2 drills a year) and one drill,
/// attended both meetings; 石塘采石场 (重点企业) signed and had an accident reported two hours after it happened (迟报:
/// vetoed); 青山村 (村(社区)) has a letter still in approval and submitted its Q1 statistics on time.
/// </summary>
public sealed class AnnualAssessmentTests(AnnualAssessmentTests.Year year) : IClassFixture<AnnualAssessmentTests.Year>
{
    [Fact]
    public async Task Rows_Scores_AndVeto_AreTheHandComputedOnes()
    {
        var assessment = await (await year.App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/assessment/2026");

        var rows = assessment.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!);
        Assert.Equal(["hongyun-fireworks", "huaqiao-primary", "qingshan-village", "shitang-quarry"], rows.Keys.Order(StringComparer.Ordinal));

        // Default weights: letter 20, hazards 30, statistics 15, drills 20, training 15 (of 100).
        // 花桥完小: 20 + 30×1/2 + 15 (no statistics due) + 20 (no plan) + 15×1/2 = 77.5
        Assert.Equal("2026-03-02|2|1|1|0|0|0|1|0|False|77.5", Figures(rows["huaqiao-primary"]));
        // 鸿运烟花: 20 + 30×0/1 + 15 + 20×1/2 + 15×2/2 = 60
        Assert.Equal("2026-03-02|1|0|1|0|1|2|2|0|False|60", Figures(rows["hongyun-fireworks"]));
        // 石塘采石场: reported late, vetoed: 0
        Assert.Equal("2026-03-02|0|0|0|0|0|0|1|1|True|0", Figures(rows["shitang-quarry"]));
        Assert.Equal(["late"], rows["shitang-quarry"].GetProperty("vetoReasons").EnumerateArray().Select(r => r.GetString()));
        // 青山村: letter not signed: 0 + 30 (nothing found) + 15×1/1 + 20 + 15×0/2 = 65
        Assert.Equal("|0|0|0|1|0|0|0|0|False|65", Figures(rows["qingshan-village"]));
        Assert.Equal(1, rows["qingshan-village"].GetProperty("statisticsRequired").GetInt32());
        Assert.Equal(2, rows["huaqiao-primary"].GetProperty("meetingsHeld").GetInt32());
        Assert.Equal(["huaqiao-primary", "qingshan-village", "hongyun-fireworks", "shitang-quarry"],
            assessment.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("unitId").GetString()));
    }

    [Fact]
    public async Task EachFigure_LinksToTheDocumentsBehindIt()
    {
        var assessment = await (await year.App.ClientForAsync("liuhua")).GetFromJsonAsync<JsonElement>("/api/assessment/2026");

        var school = assessment.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("unitId").GetString() == "huaqiao-primary");
        var sources = school.GetProperty("sources");
        Assert.Equal(new[] { year.OnTime, year.Late }.Order(), sources.GetProperty("hazards").EnumerateArray().Select(s => s.GetProperty("documentId").GetGuid()).Order());
        Assert.Equal(year.LetterOf["huaqiao-primary"], school.GetProperty("letterId").GetGuid());
        Assert.Equal([year.Meeting], sources.GetProperty("training").EnumerateArray().Select(s => s.GetProperty("documentId").GetGuid()));
        Assert.Equal($"/documents/{year.Meeting}", sources.GetProperty("training")[0].GetProperty("url").GetString());
        var quarry = assessment.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("unitId").GetString() == "shitang-quarry");
        Assert.Equal([year.Accident], quarry.GetProperty("sources").GetProperty("accidents").EnumerateArray().Select(s => s.GetProperty("documentId").GetGuid()));
    }

    [Fact]
    public async Task SigningRate_ByCounterpartyKind_IsSignedOverEveryUnitOfThatKind()
    {
        var assessment = await (await year.App.ClientForAsync("zhoujun")).GetFromJsonAsync<JsonElement>("/api/assessment/2026");

        var rates = assessment.GetProperty("signingRates").EnumerateArray().ToDictionary(
            r => r.GetProperty("kind").GetString()!, r => $"{r.GetProperty("signed").GetInt32()}/{r.GetProperty("required").GetInt32()}={r.GetProperty("rate").GetDecimal():0.#}");
        Assert.Equal("1/2=50", rates["学校"]);
        Assert.Equal("2/6=33.3", rates["重点企业"]);
        Assert.Equal("0/5=0", rates["村(社区)"]);
        Assert.Equal("0/6=0", rates["部门站所"]);
        Assert.Equal("0/1=0", rates["幼儿园"]);
        var total = assessment.GetProperty("signingTotal");
        Assert.Equal((3, 20, 15m), (total.GetProperty("signed").GetInt32(), total.GetProperty("required").GetInt32(), total.GetProperty("rate").GetDecimal()));
    }

    [Fact]
    public async Task Weights_SetByTheAdministrator_ChangeScoresAndTheVeto()
    {
        await using var app = Year.NewApp(new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8))));
        var admin = await app.ClientForAsync("admin");

        var bad = await admin.PutAsJsonAsync("/api/assessment/weights", new { letter = 20, hazards = 101, statistics = 0, drills = 0, training = 0, vetoSeverity = "较大" });
        var badSeverity = await admin.PutAsJsonAsync("/api/assessment/weights", new { letter = 20, hazards = 0, statistics = 0, drills = 0, training = 0, vetoSeverity = "小" });
        var byLeader = await (await app.ClientForAsync("liuhua")).PutAsJsonAsync("/api/assessment/weights",
            new { letter = 20, hazards = 0, statistics = 0, drills = 0, training = 0, vetoSeverity = "一般" });
        var saved = await admin.PutAsJsonAsync("/api/assessment/weights", new { letter = 50, hazards = 50, statistics = 0, drills = 0, training = 0, vetoSeverity = "一般" });
        var read = await (await app.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/assessment/weights");
        var audit = await (await app.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit?action=assessment.");

        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "hazards");
        await ProblemAssert.IsProblemAsync(badSeverity, HttpStatusCode.BadRequest, "vetoSeverity");
        Assert.Equal(HttpStatusCode.Forbidden, byLeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal((50, "一般"), (read.GetProperty("letter").GetInt32(), read.GetProperty("vetoSeverity").GetString()));
        Assert.Contains("assessment.weights", audit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeverityAtTheVetoLevel_Vetoes_AndTheExportCarriesTheRows()
    {
        var admin = await year.App.ClientForAsync("admin");
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/assessment/weights");
        try
        {
            (await admin.PutAsJsonAsync("/api/assessment/weights", new { letter = 20, hazards = 30, statistics = 15, drills = 20, training = 15, vetoSeverity = "一般" }))
                .EnsureSuccessStatusCode();
            var assessment = await admin.GetFromJsonAsync<JsonElement>("/api/assessment/2026");
            var quarry = assessment.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("unitId").GetString() == "shitang-quarry");
            Assert.Equal(["late", "severity"], quarry.GetProperty("vetoReasons").EnumerateArray().Select(r => r.GetString()));

            var export = await (await year.App.ClientForAsync("wangqiang")).GetAsync("/api/assessment/2026/export?format=xlsx");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            using var buffer = new MemoryStream(await export.Content.ReadAsByteArrayAsync());
            var sheet = buffer.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(r => r.Values.ToArray()).ToList();
            Assert.Equal("单位", sheet[0][0]);
            Assert.Equal("得分", sheet[0][^1]);
            Assert.Equal(5, sheet.Count);
            Assert.Equal(("石塘采石场", "是", 0d), ((string?)sheet[4][0], (string?)sheet[4][14], Convert.ToDouble(sheet[4][15], System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/assessment/weights", JsonSerializer.Deserialize<object>(before.GetRawText()))).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task TheReview_IsFiledByTheSafetyOffice_AsTheYearsSheet_AndApprovedByTheLeaders()
    {
        var driver = new ApprovalDriver(year.App);

        var byLeader = await (await year.App.ClientForAsync("liuhua")).PostAsync("/api/assessment/2026/review", null);
        var filed = await (await year.App.ClientForAsync("wangqiang")).PostAsync("/api/assessment/2026/review", null);
        Assert.Equal(HttpStatusCode.Forbidden, byLeader.StatusCode);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var review = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetGuid();
        var document = await driver.DocumentAsync(review);
        Assert.Equal(("assessment-reviews", "2026年度安全生产考核点评"), (document.GetProperty("library").GetString(), document.GetProperty("title").GetString()));
        await driver.DecideAsync("liuhua", review, "approve", "同意");
        await driver.DecideAsync("zhoujun", review, "approve", "同意");
        await driver.DecideAsync("sunli", review, "approve", "同意");

        Assert.Equal("Approved", await driver.StatusAsync(review));
        var content = await (await year.App.ClientForAsync("zhoujun")).GetAsync($"/api/documents/{review}/versions/1.0/content");
        using var buffer = new MemoryStream(await content.Content.ReadAsByteArrayAsync());
        Assert.Equal(5, buffer.Query(useHeaderRow: false).Count());
    }

    [Fact]
    public async Task ThePdf_CarriesTheTitle_TheRowsAndTheScores()
    {
        var response = await (await year.App.ClientForAsync("zhoujun")).GetAsync("/api/assessment/2026/export?format=pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = PdfText.All(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("2026年度安全生产考核", text, StringComparison.Ordinal);
        Assert.Contains("石塘采石场", text, StringComparison.Ordinal);
        Assert.Contains("77.5", text, StringComparison.Ordinal);
        Assert.Contains("重点企业 2/6（33.3%）", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("heping", HttpStatusCode.Forbidden)]
    [InlineData("yangshan", HttpStatusCode.Forbidden)]
    [InlineData("linfang", HttpStatusCode.Forbidden)]
    [InlineData("wujie", HttpStatusCode.Forbidden)]
    [InlineData("sunli", HttpStatusCode.OK)]
    public async Task TheAssessment_IsForTheLeadersAndTheSafetyOffice(string userName, HttpStatusCode expected)
    {
        var response = await (await year.App.ClientForAsync(userName)).GetAsync("/api/assessment/2026");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/assessment/twenty", "year")]
    [InlineData("/api/assessment/1999", "year")]
    [InlineData("/api/assessment/2026/export?format=csv", "format")]
    [InlineData("/api/assessment/2026/export?format=docx", "format")]
    public async Task BadQueries_AnswerProblems_NamingTheField(string url, string field)
    {
        var response = await (await year.App.ClientForAsync("wangqiang")).GetAsync(url);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    /// <summary>letterSignedOn|found|closedOnTime|overdue|statisticsOnTime|drillsHeld|drillsRequired|trainingAttended|accidents|veto|score</summary>
    private static string Figures(JsonElement row) => string.Join('|',
        row.GetProperty("letterSignedOn").ValueKind == JsonValueKind.Null ? "" : row.GetProperty("letterSignedOn").GetString(),
        row.GetProperty("hazardsFound").GetInt32(), row.GetProperty("hazardsClosedOnTime").GetInt32(), row.GetProperty("hazardsOverdue").GetInt32(),
        row.GetProperty("statisticsOnTime").GetInt32(), row.GetProperty("drillsHeld").GetInt32(), row.GetProperty("drillsRequired").GetInt32(),
        row.GetProperty("trainingAttended").GetInt32(), row.GetProperty("accidents").GetInt32(), row.GetProperty("veto").GetBoolean(),
        row.GetProperty("score").GetDecimal().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The year, made once through the API on a fake clock.</summary>
    public sealed class Year : IAsyncLifetime
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));

        public AppFactory App { get; private set; } = null!;

        public Dictionary<string, Guid> LetterOf { get; } = [];

        public Guid OnTime { get; private set; }

        public Guid Late { get; private set; }

        public Guid Meeting { get; private set; }

        public Guid Accident { get; private set; }

        public static AppFactory NewApp(TimeProvider clock) => new(services: s => s.AddSingleton(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });

        public async Task InitializeAsync()
        {
            App = NewApp(Clock);
            var driver = new ApprovalDriver(App);
            foreach (var (unit, kind, principal) in new[]
            {
                ("huaqiao-primary", "学校", "xieyun"), ("hongyun-fireworks", "重点企业", "luohong"), ("shitang-quarry", "重点企业", "dengfei"),
                ("qingshan-village", "村(社区)", null),
            })
            {
                var letter = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters",
                    new { counterpartyUnit = unit, year = 2026, counterpartyKind = kind }, $"2026年度安全生产责任书（{unit}）");
                LetterOf[unit] = letter;
                await driver.DecideAsync("wangqiang", letter, "approve", "同意");
                if (principal is null)
                {
                    continue; // 青山村's letter waits for the leader: not signed
                }

                await driver.DecideAsync("liuhua", letter, "approve", "同意");
                await driver.DecideAsync("zhoujun", letter, "approve", "同意");
                await driver.DecideAsync("sunli", letter, "approve", "同意");
                await driver.DecideAsync(principal, letter, "sign", null);
            }

            OnTime = await IssueAsync(driver, "huaqiao-primary", "2026-03-10", "花桥完小消防通道堵塞");
            Late = await IssueAsync(driver, "huaqiao-primary", "2026-03-04", "花桥完小配电箱未上锁");
            await IssueAsync(driver, "hongyun-fireworks", "2026-03-04", "鸿运烟花仓库超量储存");

            Clock.SetUtcNow(new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.FromHours(8)));
            await CloseAsync(driver, OnTime, "xieyun");
            Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 9, 0, 0, TimeSpan.FromHours(8)));
            await CloseAsync(driver, Late, "xieyun");

            var plan = await driver.UploadAndSubmitAsync("zhaomin", "emergency-plans",
                new { ownerUnit = "hongyun-fireworks", planType = "现场处置方案", riskClass = "低风险" }, "鸿运烟花仓库火灾现场处置方案");
            await driver.DecideAsync("wangqiang", plan, "approve", "形式审查合格");
            await driver.DecideAsync("linfang", plan, "approve", "同意");
            await driver.DecideAsync("liuhua", plan, "approve", "同意");
            await driver.DecideAsync("luohong", plan, "sign", null);
            Assert.Equal("Published", await driver.StatusAsync(plan));

            var drill = await driver.UploadAndSubmitAsync("zhaomin", "drill-records", new
            {
                drillUnit = "hongyun-fireworks", planType = "现场处置方案", drillDate = "2026-03-06", scenario = "仓库火灾初起扑救与疏散", participants = 12,
            }, "鸿运烟花仓库火灾现场处置演练记录");
            await driver.DecideAsync("wangqiang", drill, "approve", "记录完整");

            Meeting = await driver.UploadAndSubmitAsync("zhaomin", "meeting-minutes", new
            {
                organizerUnit = "safety-committee", meetingKind = "安全工作例会", meetingDate = "2026-03-06", chair = "liuhua",
                unitsPresent = "衡南八中、花桥完小、鸿运烟花爆竹批发部",
            }, "2026年第一季度安全工作例会纪要");
            await driver.UploadAndSubmitAsync("zhaomin", "meeting-minutes", new
            {
                organizerUnit = "safety-committee", meetingKind = "安全培训会议", meetingDate = "2026-03-06", unitsPresent = "hongyun-fireworks，石塘采石场",
            }, "2026年第一季度安全培训会议纪要");

            // 石塘采石场: the accident happens at 10:00 and is reported upward at 12:00 — an hour late.
            Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8)));
            Accident = await driver.UploadAndSubmitAsync("zhaomin", "accident-reports", new
            {
                accidentUnit = "shitang-quarry", occurredOn = "2026-03-06", occurredTime = "10:00", place = "北采区", severity = "一般", deaths = 0, injuries = 1,
            }, "石塘采石场落石伤人事故快报");
            Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 12, 0, 0, TimeSpan.FromHours(8)));
            var report = Assert.Single(await driver.OpenTasksAsync("wangqiang", Accident));
            await driver.AttachAsync("wangqiang", report, "事故快报.pdf");
            await driver.DecideAsync("wangqiang", Accident, "submit", "已报县应急管理局");

            // The quarter's statistics: 青山村 submits by the 15th.
            Clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(8)));
            await using (var scope = App.Services.CreateAsyncScope())
            {
                Assert.True(await scope.ServiceProvider.GetRequiredService<ClockJobs>().OpenHazardStatisticsAsync(CancellationToken.None));
            }

            var head = await App.ClientForAsync("yangshan");
            var inbox = await head.GetFromJsonAsync<JsonElement>("/api/tasks?state=open");
            var statistics = inbox.GetProperty("items").EnumerateArray()
                .Single(t => t.GetProperty("step").GetString()!.StartsWith("2026年第一季度", StringComparison.Ordinal)).GetProperty("id").GetGuid();
            Clock.SetUtcNow(new DateTimeOffset(2026, 4, 8, 9, 0, 0, TimeSpan.FromHours(8)));
            head = await App.ClientForAsync("yangshan"); // a new token: the first one expired with the week
            var submitted = await head.PostAsJsonAsync($"/api/tasks/{statistics}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "submit", opinion = "核对无误" });
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        }

        public async Task DisposeAsync() => await App.DisposeAsync();

        private static async Task<Guid> IssueAsync(ApprovalDriver driver, string unit, string deadline, string title)
        {
            var order = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
            {
                inspectedUnit = unit, hazardDescription = title, location = "现场", grade = "一般", deadline, inspector = "wujie",
            }, title + "整改通知");
            await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
            return order;
        }

        private static async Task CloseAsync(ApprovalDriver driver, Guid order, string principal)
        {
            await driver.DecideAsync(principal, order, "sign", "已签收");
            var evidence = Assert.Single(await driver.OpenTasksAsync(principal, order));
            await driver.AttachAsync(principal, evidence, "整改后.png");
            await driver.DecideAsync(principal, order, "submit", "已整改");
            await driver.DecideAsync("wujie", order, "approve", "复查合格");
            Assert.Equal("Closed", await driver.StatusAsync(order));
        }
    }
}
