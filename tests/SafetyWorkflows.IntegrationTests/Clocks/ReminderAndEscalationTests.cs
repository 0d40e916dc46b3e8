using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Clocks;

/// <summary>
/// 催办 and 督办 on a fake clock. The expert step (Definitions/responsibility-letter.json) starts on Monday 2 March 2026 at
/// 09:00 China time, is due in 3 working days (Thursday 5 March 09:00), reminds 1 working day and 2 hours before and at
/// the deadline, and escalates to the leader in charge 1 working day overdue and to the party secretary and the mayor 3
/// working days overdue.
/// </summary>
public sealed class ReminderAndEscalationTests
{
    private static readonly string Definitions = Path.Combine(AppContext.BaseDirectory, "Clocks", "Definitions");
    private static readonly DateTimeOffset MondayNine = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] Experts = ["gaoyan", "linfang", "xuming"];

    [Fact]
    public async Task RemindersThenEscalations_FireInOrder_EachToTheRightPeople()
    {
        var (app, clock) = Start();
        await using var _ = app;
        var id = await new ApprovalDriver(app).UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "衡南八中 2026 年安全生产责任书");
        var poller = app.Services.GetRequiredService<DueTimerPoller>();
        var fired = new List<(DateTimeOffset At, string Kind, string[] To)>();
        foreach (var at in new[] { "03-04 09:00", "03-05 07:00", "03-05 09:00", "03-06 09:00", "03-09 09:00", "03-10 09:00", "03-20 09:00" })
        {
            clock.SetUtcNow(DateTimeOffset.Parse($"2026-{at}:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
            var before = await NotificationsAsync(app, id);
            await poller.ResumeDueAsync(CancellationToken.None);
            var after = await NotificationsAsync(app, id);
            foreach (var group in after.Skip(before.Count).GroupBy(n => n.Kind))
            {
                fired.Add((clock.GetUtcNow(), group.Key.ToString(), group.Select(n => n.Recipient).Order(StringComparer.Ordinal).ToArray()));
            }
        }

        Assert.Equal(
            [
                ("2026-03-04 09:00", "Reminder", Experts),
                ("2026-03-05 07:00", "Reminder", Experts),
                ("2026-03-05 09:00", "Reminder", Experts),
                ("2026-03-06 09:00", "Escalation", new[] { "liuhua" }),
                ("2026-03-10 09:00", "Escalation", new[] { "sunli", "zhoujun" }),
            ],
            fired.Select(f => (TimeZoneInfo.ConvertTime(f.At, Core.Calendar.WorkingCalendar.China).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), f.Kind, f.To)).ToArray());
        var escalation = (await NotificationsAsync(app, id)).Last();
        Assert.StartsWith("【督办】", escalation.Subject);
        Assert.Contains("高岩", escalation.Body);
        Assert.DoesNotContain("gaoyan", escalation.Body, StringComparison.Ordinal);
        Assert.Equal("Pending", await new ApprovalDriver(app).StatusAsync(id));
    }

    [Fact]
    public async Task CompletingTheTask_CancelsItsRemindersAndEscalations_AndNoneReachesHangfire()
    {
        var (app, clock) = Start();
        await using var _ = app;
        var driver = new ApprovalDriver(app);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "花桥完小 2026 年安全生产责任书");
        var storage = app.Services.GetRequiredService<JobStorage>();
        const string timers = "SELECT COUNT(*) FROM WorkflowBookmarks WHERE DueAt IS NOT NULL";
        var timersWhileOpen = await app.ScalarAsync(timers);
        var scheduledWhileOpen = storage.GetMonitoringApi().ScheduledCount();
        clock.SetUtcNow(MondayNine.AddDays(2));
        await app.Services.GetRequiredService<DueTimerPoller>().ResumeDueAsync(CancellationToken.None);
        var remindedOnce = (await NotificationsAsync(app, id)).Count(n => n.Kind == NotificationKind.Reminder);

        await driver.DecideAsync("linfang", id, "approve", "同意");
        var timersAfterDecision = await app.ScalarAsync(timers);
        clock.SetUtcNow(MondayNine.AddDays(20));
        await app.Services.GetRequiredService<DueTimerPoller>().ResumeDueAsync(CancellationToken.None);

        // The step's five clocks (2 reminders, the deadline's 督办, 2 escalation rungs) are bookmark rows with a due time,
        // written with the step and deleted with its decision; none is a scheduled Hangfire job (ADR-012).
        Assert.Equal(5, timersWhileOpen);
        Assert.Equal(0, scheduledWhileOpen);
        Assert.Equal(0, timersAfterDecision);
        Assert.Equal(3, remindedOnce);
        Assert.Equal("Approved", await driver.StatusAsync(id));
        var notifications = await NotificationsAsync(app, id);
        Assert.Equal(3, notifications.Count(n => n.Kind == NotificationKind.Reminder));
        Assert.DoesNotContain(notifications, n => n.Kind == NotificationKind.Escalation);
        Assert.Equal(0, storage.GetMonitoringApi().ScheduledCount());
    }

    [Fact]
    public async Task RunningAReminderJobTwice_SendsOneReminder()
    {
        var (app, clock) = Start();
        await using var _ = app;
        var id = await new ApprovalDriver(app).UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "中心幼儿园 2026 年安全生产责任书");
        string reminder;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
            reminder = (await db.Set<Infrastructure.Workflows.BookmarkRow>().AsNoTracking()
                .Where(b => b.Name == RequestApproval.ClockBookmarkName).Select(b => new { b.Id, b.PayloadJson }).ToListAsync())
                .OrderBy(b => b.PayloadJson, StringComparer.Ordinal).First().Id;
        }

        clock.SetUtcNow(MondayNine.AddDays(2));
        for (var run = 0; run < 2; run++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WorkflowTimerJobs>().ResumeBookmarkAsync(reminder, CancellationToken.None);
        }

        var reminders = (await NotificationsAsync(app, id)).Where(n => n.Kind == NotificationKind.Reminder).ToList();
        Assert.Equal(Experts, reminders.Select(n => n.Recipient).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task AListedMajorHazard_AsksForAProgressReportEveryPeriod_UntilTheEvidenceIsSubmitted()
    {
        // The shipped rectification chain: a 重大 hazard is listed (挂牌督办) and its unit reports progress every 5 working days.
        var clock = new FakeTimeProvider(MondayNine);
        await using var app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });
        var driver = new ApprovalDriver(app);
        var poller = app.Services.GetRequiredService<DueTimerPoller>();
        var id = await driver.UploadAndSubmitAsync("wujie", "rectification-orders", TestFiles.OrderMetadata(), "湘南化工储罐区静电接地失效整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        await driver.DecideAsync("liuhua", id, "approve", "挂牌督办");
        await driver.DecideAsync("heping", id, "sign", "已签收");

        var reports = new List<int>();
        foreach (var day in new[] { "03-06", "03-09", "03-16", "03-23" })
        {
            clock.SetUtcNow(DateTimeOffset.Parse($"2026-{day}T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
            await poller.ResumeDueAsync(CancellationToken.None);
            reports.Add((await NotificationsAsync(app, id)).Count(n => n.Subject.StartsWith("【挂牌督办】", StringComparison.Ordinal)));
            if (day == "03-16")
            {
                var evidence = Assert.Single(await driver.OpenTasksAsync("heping", id));
                await driver.AttachAsync("heping", evidence, "整改方案.docx");
                await driver.DecideAsync("heping", id, "submit", "已整改");
            }
        }

        // 5 working days from Monday 2 March: Monday 9 March, then Monday 16 March; none after the evidence is in.
        Assert.Equal([0, 1, 2, 2], reports);
        Assert.All((await NotificationsAsync(app, id)).Where(n => n.Subject.StartsWith("【挂牌督办】", StringComparison.Ordinal)), n => Assert.Equal("heping", n.Recipient));
    }

    private static (AppFactory App, FakeTimeProvider Clock) Start()
    {
        var clock = new FakeTimeProvider(MondayNine);
        var app = new AppFactory(workflowsDirectory: Definitions, services: s => s.AddSingleton<TimeProvider>(clock),
            // The sweep's own loop ticks on the fake clock too; at 30 days it never does here, so the test alone resumes timers.
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });
        return (app, clock);
    }

    private static async Task<List<Notification>> NotificationsAsync(AppFactory app, Guid documentId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<Notification>().AsNoTracking()
            .Where(n => n.DocumentId == documentId && n.Kind != NotificationKind.TaskAssigned).ToListAsync())
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Recipient, StringComparer.Ordinal).ToList();
    }
}
