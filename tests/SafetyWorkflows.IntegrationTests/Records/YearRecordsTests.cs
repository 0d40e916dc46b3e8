using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Records;

/// <summary>
/// The year's records on a fake clock: a drill record re-arms its plan's drill clock (as /admin/clocks shows it), the
/// minutes complete the quarter's meeting task, a filing receipt files its plan, and an accident flash report's one-hour
/// clock escalates on the hour until it is reported; the case closes only with evidence for each of the 四不放过.
/// </summary>
public sealed class YearRecordsTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task AnApprovedDrillRecord_FillsThePlansLastDrill_AndMovesItsDrillClock_OnAdminClocks()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        await using var app = NewApp(clock);
        var driver = new ApprovalDriver(app);
        var plan = await PublishPlanAsync(driver);
        var before = await PlanClocksAsync(app, plan);

        clock.SetUtcNow(new DateTimeOffset(2026, 3, 20, 15, 0, 0, China));
        var drill = await driver.UploadAndSubmitAsync("zhaomin", "drill-records", new
        {
            drillUnit = "hongyun-fireworks", planType = "现场处置方案", drillDate = "2026-03-20", scenario = "仓库火灾初起扑救与疏散", participants = 12,
            evaluationSummary = "疏散用时 4 分钟，灭火器取用顺畅",
        }, "鸿运烟花仓库火灾现场处置演练记录");
        var pending = await PlanClocksAsync(app, plan);
        await driver.DecideAsync("wangqiang", drill, "approve", "记录完整");
        var after = await PlanClocksAsync(app, plan);
        var page = WebUtility.HtmlDecode(await (await app.ClientForAsync("admin")).GetStringAsync("/admin/clocks"));

        Assert.Equal("2026-09-02T09:00:00+08:00", before["PlanDrill"]);
        Assert.Equal(before["PlanDrill"], pending["PlanDrill"]);
        Assert.Equal("2026-09-20T09:00:00+08:00", after["PlanDrill"]);
        Assert.Equal("2029-03-02T09:00:00+08:00", after["PlanEvaluation"]);
        Assert.Equal("2026-03-20", (await driver.DocumentAsync(plan)).GetProperty("metadata").GetProperty("lastDrill").GetString());
        Assert.Contains("预案演练", page, StringComparison.Ordinal);
        Assert.Contains("2026-09-20", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApprovedFilingReceipt_WritesItsNumberOnThePlan_AndFilesIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        await using var app = NewApp(clock);
        var driver = new ApprovalDriver(app);
        var plan = await PublishPlanAsync(driver);

        var receipt = await driver.UploadAndSubmitAsync("zhaomin", "filing-receipts", new
        {
            planUnit = "hongyun-fireworks", planType = "现场处置方案", receiptNumber = "衡南应急备〔2026〕12号", filedOn = "2026-03-10", filedWith = "县应急管理局",
        }, "鸿运烟花现场处置方案备案回执");
        await driver.DecideAsync("wangqiang", receipt, "approve", "回执无误");

        var document = await driver.DocumentAsync(plan);
        Assert.Equal("衡南应急备〔2026〕12号", document.GetProperty("metadata").GetProperty("filingReceipt").GetString());
        Assert.Equal("filed", document.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheQuarterlyClock_OpensAMeetingAndATrainingTask_AndUploadingTheMinutes_CompletesTheMatchingOne()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 0, 0, China));
        await using var app = NewApp(clock);

        Assert.True(await RunAsync(app, j => j.RemindQuarterlyMeetingsAsync(CancellationToken.None)));
        Assert.False(await RunAsync(app, j => j.RemindQuarterlyMeetingsAsync(CancellationToken.None)));
        var opened = await OpenMeetingTasksAsync(app, "zhaomin");
        Assert.Equal(["2026年第二季度安全培训会议（会后上传会议纪要）", "2026年第二季度安全工作例会（会后上传会议纪要）"], opened.Values.Order(StringComparer.Ordinal));

        clock.SetUtcNow(new DateTimeOffset(2026, 4, 10, 16, 0, 0, China));
        var clerk = await app.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/meeting-minutes/documents", TestFiles.Upload(TestFiles.Pdf("minutes"), "纪要.pdf", new
        {
            organizerUnit = "safety-committee", meetingKind = "安全工作例会", meetingDate = "2026-04-10", chair = "liuhua", unitsPresent = "青山村、柳塘村",
        }, "2026年第二季度安全工作例会纪要"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        var left = await OpenMeetingTasksAsync(app, "zhaomin");
        Assert.Equal(["2026年第二季度安全培训会议（会后上传会议纪要）"], left.Values);
        Assert.DoesNotContain((await OpenMeetingTasksAsync(app, "wangqiang")).Values, s => s.Contains("例会", StringComparison.Ordinal));
        var done = opened.Keys.Except(left.Keys).Single();
        var task = (await clerk.GetFromJsonAsync<JsonElement>($"/api/tasks/{done}")).GetProperty("task");
        Assert.Equal("Submitted", task.GetProperty("outcome").GetString());
        var files = await clerk.GetFromJsonAsync<JsonElement>($"/api/tasks/{done}/files");
        Assert.Equal("纪要.pdf", Assert.Single(files.EnumerateArray()).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task TheAccidentReportsOneHourClock_EscalatesOnTheHour_AndTheCaseClosesOnlyWithTheFourItemsEvidenced()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 6, 10, 0, 0, China));
        await using var app = NewApp(clock);
        var driver = new ApprovalDriver(app);
        var poller = app.Services.GetRequiredService<DueTimerPoller>();
        var accident = await driver.UploadAndSubmitAsync("zhaomin", "accident-reports", new
        {
            accidentUnit = "shitang-quarry", occurredOn = "2026-03-06", occurredTime = "09:50", place = "北采区", severity = "一般", deaths = 0, injuries = 1,
            summary = "落石砸伤一名作业人员",
        }, "石塘采石场落石伤人事故快报");

        async Task<string[]> EscalatedAtAsync(int hour, int minute)
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, hour, minute, 0, China));
            await poller.ResumeDueAsync(CancellationToken.None);
            return [.. (await NotificationsAsync(app, accident)).Where(n => n.Kind == NotificationKind.Escalation).Select(n => n.Recipient).Order(StringComparer.Ordinal)];
        }

        var at1059 = await EscalatedAtAsync(10, 59);
        var at1100 = await EscalatedAtAsync(11, 0);
        var at1159 = await EscalatedAtAsync(11, 59);
        var at1200 = await EscalatedAtAsync(12, 0);
        var at1300 = await EscalatedAtAsync(13, 0);
        var reminders = (await NotificationsAsync(app, accident)).Where(n => n.Kind == NotificationKind.Reminder && n.Recipient == "wangqiang").ToList();

        Assert.Empty(at1059);
        Assert.Equal(["liuhua"], at1100);
        Assert.Equal(at1100, at1159);
        Assert.Equal(["liuhua", "sunli", "zhoujun"], at1200);
        Assert.Equal(["liuhua", "sunli", "sunli", "zhoujun", "zhoujun"], at1300);
        Assert.Equal(2, reminders.Count); // half an hour before, and at the deadline

        var report = Assert.Single(await driver.OpenTasksAsync("wangqiang", accident));
        await driver.AttachAsync("wangqiang", report, "事故快报.pdf");
        await driver.DecideAsync("wangqiang", accident, "submit", "13:05 已电话并书面报县应急管理局");
        var at1500 = await EscalatedAtAsync(15, 0);
        Assert.Equal(at1300, at1500);

        var fourNots = Assert.Single(await driver.OpenTasksAsync("wangqiang", accident));
        var head = await app.ClientForAsync("wangqiang");
        foreach (var (label, file) in new[] { ("cause", "事故调查报告.pdf"), ("accountability", "处理决定.pdf") })
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Pdf(file)), "file", file }, { new StringContent(label), "label" } };
            Assert.Equal(HttpStatusCode.Created, (await head.PostAsync($"/api/tasks/{fourNots}/files", form)).StatusCode);
        }

        var early = await head.PostAsJsonAsync($"/api/tasks/{fourNots}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "submit", opinion = "结案" });
        await ProblemAssert.IsProblemAsync(early, HttpStatusCode.BadRequest, "label");
        Assert.Equal("Pending", await driver.StatusAsync(accident));
        foreach (var (label, file) in new[] { ("measures", "整改措施.pdf"), ("education", "警示教育签到表.pdf") })
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Pdf(file)), "file", file }, { new StringContent(label), "label" } };
            Assert.Equal(HttpStatusCode.Created, (await head.PostAsync($"/api/tasks/{fourNots}/files", form)).StatusCode);
        }

        var closed = await head.PostAsJsonAsync($"/api/tasks/{fourNots}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "submit", opinion = "四不放过落实，结案" });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
        Assert.Equal("Closed", await driver.StatusAsync(accident));
    }

    private static AppFactory NewApp(TimeProvider clock) => new(services: s => s.AddSingleton(clock),
        settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });

    private static async Task<Guid> PublishPlanAsync(ApprovalDriver driver)
    {
        var plan = await driver.UploadAndSubmitAsync("zhaomin", "emergency-plans",
            new { ownerUnit = "hongyun-fireworks", planType = "现场处置方案", riskClass = "低风险" }, "鸿运烟花仓库火灾现场处置方案");
        await driver.DecideAsync("wangqiang", plan, "approve", "形式审查合格");
        await driver.DecideAsync("linfang", plan, "approve", "同意");
        await driver.DecideAsync("liuhua", plan, "approve", "同意");
        await driver.DecideAsync("luohong", plan, "sign", null);
        Assert.Equal("Published", await driver.StatusAsync(plan));
        return plan;
    }

    /// <summary>The plan's clocks on /api/clocks (what /admin/clocks lists), by kind, as China time.</summary>
    private static async Task<Dictionary<string, string>> PlanClocksAsync(AppFactory app, Guid plan)
    {
        var board = await (await app.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>("/api/clocks");
        return board.GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("documentId").ValueKind == JsonValueKind.String && c.GetProperty("documentId").GetGuid() == plan
                && c.GetProperty("kind").GetString()!.StartsWith("Plan", StringComparison.Ordinal))
            .ToDictionary(c => c.GetProperty("kind").GetString()!,
                c => c.GetProperty("at").GetDateTimeOffset().ToOffset(China).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<Dictionary<Guid, string>> OpenMeetingTasksAsync(AppFactory app, string userName)
    {
        var inbox = await (await app.ClientForAsync(userName)).GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
        return inbox.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("step").GetString()!.Contains("会后上传会议纪要", StringComparison.Ordinal))
            .ToDictionary(t => t.GetProperty("id").GetGuid(), t => t.GetProperty("step").GetString()!);
    }

    private static async Task<bool> RunAsync(AppFactory app, Func<ClockJobs, Task<bool>> job)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await job(scope.ServiceProvider.GetRequiredService<ClockJobs>());
    }

    private static async Task<List<Notification>> NotificationsAsync(AppFactory app, Guid documentId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<Notification>().AsNoTracking()
            .Where(n => n.DocumentId == documentId).ToListAsync();
    }
}
