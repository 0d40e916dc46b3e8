using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Clocks;

/// <summary>
/// The shipped rectification chain on a fake clock: a late step never ends, sends back or drops the order; it stays open,
/// climbs its escalation ladder (督办) and the order shows 逾期 with its stage unchanged. The clerk 赵敏 drafts a 重大
/// order on Monday 2 March 2026 09:00 China time, found by the inspector 吴杰, to be rectified by 20 March.
/// </summary>
public sealed class OverdueOrderTests
{
    private static readonly DateTimeOffset MondayNine = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task LateListingAndLateReinspection_StayOpen_EscalateUpTheirLadders_AndTheOrderShowsOverdue()
    {
        var clock = new FakeTimeProvider(MondayNine);
        await using var app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });
        var driver = new ApprovalDriver(app);
        var poller = app.Services.GetRequiredService<DueTimerPoller>();
        var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("2026-03-20"), "湘南化工储罐区静电接地失效整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");

        // 挂牌督办 is due Thursday 5 March 09:00 (P3D); one working day later its ladder tells the party secretary and the mayor.
        clock.SetUtcNow(At("2026-03-06 09:30"));
        await poller.ResumeDueAsync(CancellationToken.None);
        var listedLate = await driver.StageAsync(id);
        var listedEscalations = await EscalationsAsync(app, id, "重大隐患挂牌督办");
        var listing = Assert.Single(await driver.OpenTasksAsync("liuhua", id));

        Assert.Equal(("issued", "已下达", true), listedLate);
        Assert.Equal("Approved", await driver.StatusAsync(id));
        Assert.Equal(["sunli", "zhoujun"], listedEscalations);
        Assert.Equal("Running", await InstanceStatusAsync(app, id));

        await driver.DecideAsync("liuhua", id, "approve", "挂牌督办");
        await driver.DecideAsync("heping", id, "sign", "已签收");
        var evidence = Assert.Single(await driver.OpenTasksAsync("heping", id));
        await driver.AttachAsync("heping", evidence, "整改方案.docx");
        await driver.DecideAsync("heping", id, "submit", "已整改");

        // 复查 goes to the inspector who found the hazard; due 16 March 09:30 (P10D), then 1WD → 安办负责人, 3WD → 分管领导.
        var reinspection = Assert.Single(await driver.OpenTasksAsync("wujie", id));
        Assert.Empty(await driver.OpenTasksAsync("zhengyu", id));
        clock.SetUtcNow(At("2026-03-19 10:00"));
        await poller.ResumeDueAsync(CancellationToken.None);

        Assert.Equal(("reinspection", "待复查", true), await driver.StageAsync(id));
        Assert.Equal("Approved", await driver.StatusAsync(id));
        Assert.Equal(["liuhua", "wangqiang"], await EscalationsAsync(app, id, "检查员复查"));
        Assert.Equal([reinspection], await driver.OpenTasksAsync("wujie", id));
        Assert.Equal("Running", await InstanceStatusAsync(app, id));
        var rungs = (await NotificationsAsync(app, id)).Where(n => n.Kind == NotificationKind.Escalation && n.Subject.Contains("检查员复查", StringComparison.Ordinal))
            .ToDictionary(n => n.Recipient, n => n.Subject);
        Assert.Contains("逾期 1 个工作日", rungs["wangqiang"], StringComparison.Ordinal);
        Assert.Contains("逾期 3 个工作日", rungs["liuhua"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEvidenceStep_IsDueAtTheEndOfTheOrdersDeadlineDay_ChinaTime()
    {
        var clock = new FakeTimeProvider(MondayNine);
        await using var app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });
        var driver = new ApprovalDriver(app);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("2026-04-10", grade: "一般"), "湘南化工消防通道堵塞整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        await driver.DecideAsync("heping", id, "sign", "已签收");

        var evidence = Assert.Single(await driver.OpenTasksAsync("heping", id));
        var task = (await (await app.ClientForAsync("heping")).GetFromJsonAsync<JsonElement>($"/api/tasks/{evidence}")).GetProperty("task");

        Assert.Equal(new DateTimeOffset(2026, 4, 10, 23, 59, 59, TimeSpan.FromHours(8)), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(("rectifying", "整改中", false), await driver.StageAsync(id));
        clock.SetUtcNow(At("2026-04-11 00:00"));
        Assert.True((await driver.StageAsync(id)).Overdue);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("dueNote").ValueKind);
    }

    [Fact]
    public async Task AnOrderReopenedAfterItsDeadline_IsEscalatedAtOnce_ToTheRungItHasReached()
    {
        var clock = new FakeTimeProvider(MondayNine);
        await using var app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });
        var driver = new ApprovalDriver(app);
        var poller = app.Services.GetRequiredService<DueTimerPoller>();
        var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("2026-04-10", grade: "一般"), "湘南化工配电室整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        await driver.DecideAsync("heping", id, "sign", "已签收");

        // Due Friday 10 April; the evidence comes on Tuesday 14 April, fails re-inspection the same day and re-opens, past
        // the first rung (1WD: Monday 13 April) and before the second (3WD: Wednesday 15 April).
        clock.SetUtcNow(At("2026-04-14 10:00"));
        var evidence = Assert.Single(await driver.OpenTasksAsync("heping", id));
        await driver.AttachAsync("heping", evidence, "整改方案.docx");
        await driver.DecideAsync("heping", id, "submit", "已整改");
        await driver.DecideAsync("wujie", id, "reject", "仍未整改到位");
        clock.SetUtcNow(At("2026-04-14 10:01"));
        await poller.ResumeDueAsync(CancellationToken.None);

        Assert.Equal(("rectifying", "整改中", true), await driver.StageAsync(id));
        var reopened = Assert.Single(await driver.OpenTasksAsync("heping", id));
        var escalated = (await NotificationsAsync(app, id)).Where(n => n.Kind == NotificationKind.Escalation && n.TaskId == reopened).ToList();
        Assert.Equal("liuhua", Assert.Single(escalated).Recipient);
        Assert.Contains("逾期 1 个工作日", escalated[0].Subject, StringComparison.Ordinal);
    }

    private static object Order(string deadline, string grade = "重大") => new
    {
        inspectedUnit = "xiangnan-chemical",
        hazardDescription = "储罐区静电接地失效",
        location = "甲类仓库东侧",
        grade,
        deadline,
        inspector = "wujie",
    };

    private static DateTimeOffset At(string chinaTime) =>
        DateTimeOffset.ParseExact(chinaTime + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    private static async Task<string[]> EscalationsAsync(AppFactory app, Guid documentId, string step) =>
        (await NotificationsAsync(app, documentId))
            .Where(n => n.Kind == NotificationKind.Escalation && n.Subject.Contains(step, StringComparison.Ordinal))
            .Select(n => n.Recipient).Order(StringComparer.Ordinal).ToArray();

    private static async Task<List<Notification>> NotificationsAsync(AppFactory app, Guid documentId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<Notification>().AsNoTracking()
            .Where(n => n.DocumentId == documentId).ToListAsync();
    }

    private static async Task<string> InstanceStatusAsync(AppFactory app, Guid documentId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var instanceId = await db.Set<ApprovalTask>().AsNoTracking().Where(t => t.DocumentId == documentId).Select(t => t.WorkflowInstanceId).FirstAsync();
        return await db.Set<WorkflowInstanceRow>().AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.Status).SingleAsync();
    }
}
