using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Clocks;

/// <summary>The recurring jobs, run on a fake clock in China time against the shipped workflows and seeds.</summary>
public sealed class RecurringClockTests
{
    [Fact]
    public async Task RecurringJobs_AreRegisteredUnderStableIds_InChinaTime()
    {
        await using var app = new AppFactory();
        _ = app.Services;

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().Where(j => j.Id.StartsWith("clocks:", StringComparison.Ordinal)).ToList();

        Assert.Equal(RecurringClocks.All.Select(c => c.Id).Order(StringComparer.Ordinal), jobs.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal("Asia/Shanghai", j.TimeZoneId));
        Assert.Equal("0 9 1 1,4,7,10 *", jobs.Single(j => j.Id == "clocks:quarterly-hazard-statistics").Cron);
    }

    [Fact]
    public async Task QingmingCampaign_OpensFiveWorkingDaysBefore_WithInspectionTasksDueTheDayBefore_Once()
    {
        var (app, clock) = Start(new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.FromHours(8)));
        await using var _ = app;

        var tooEarly = await RunAsync(app, j => j.OpenHolidayCampaignsAsync(CancellationToken.None));
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.FromHours(8)));
        var opened = await RunAsync(app, j => j.OpenHolidayCampaignsAsync(CancellationToken.None));
        var again = await RunAsync(app, j => j.OpenHolidayCampaignsAsync(CancellationToken.None));

        Assert.Equal((0, 1, 0), (tooEarly, opened, again));
        var tasks = await TasksAsync(app, "campaign-qingming-2026");
        Assert.Equal(["chenjing", "wujie", "zhaomin", "zhengyu"], tasks.Select(t => t.Assignee).Order(StringComparer.Ordinal).ToArray());
        Assert.All(tasks, t => Assert.Equal("2026年清明节前安全生产大检查", t.Step));
        Assert.All(tasks, t => Assert.Equal(new DateTimeOffset(2026, 4, 3, 17, 30, 0, TimeSpan.FromHours(8)), t.DueAt));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var notices = await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<Notification>().AsNoTracking()
                .Where(n => n.Kind == NotificationKind.CampaignOpened).ToListAsync();
            Assert.Equal(["liuhua", "wangqiang"], notices.Select(n => n.Recipient).Order(StringComparer.Ordinal).ToArray());
            Assert.All(notices, n => Assert.Equal("2026年清明节前安全生产大检查", n.Subject));
        }

        var inbox = await (await app.ClientForAsync("wujie")).GetFromJsonAsync<JsonElement>("/api/tasks?state=open");
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), t => t.GetProperty("step").GetString() == "2026年清明节前安全生产大检查");
    }

    [Fact]
    public async Task QuarterlyStatistics_OpenForEveryVillage_DueOnThe15th()
    {
        var (app, _) = Start(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        await using var __ = app;

        var opened = await RunAsync(app, j => j.OpenHazardStatisticsAsync(CancellationToken.None));
        var again = await RunAsync(app, j => j.OpenHazardStatisticsAsync(CancellationToken.None));

        Assert.Equal((true, false), (opened, again));
        var tasks = await TasksAsync(app, "hazard-statistics-2026Q1");
        Assert.Equal(["liangjun", "mali", "panxiu", "tangwei", "yangshan"], tasks.Select(t => t.Assignee).Order(StringComparer.Ordinal).ToArray());
        Assert.All(tasks, t => Assert.Equal(new DateTimeOffset(2026, 4, 15, 17, 30, 0, TimeSpan.FromHours(8)), t.DueAt));
    }

    [Fact]
    public async Task PlanDrillReminder_GoesOutWithinTheLeadTime_OncePerDueDate()
    {
        var (app, clock) = Start(new DateTimeOffset(2026, 8, 1, 8, 30, 0, TimeSpan.FromHours(8)));
        await using var _ = app;
        var clerk = await app.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/emergency-plans/documents", TestFiles.Upload(TestFiles.Pdf("plan"), "plan.pdf", new
        {
            ownerUnit = "xiangnan-chemical", planType = "现场处置方案", riskClass = "高风险", publishedOn = "2025-10-15", lastDrill = "2026-03-20",
        }, "湘南化工储罐区泄漏现场处置方案"));
        upload.EnsureSuccessStatusCode();
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await app.ExecuteAsync($"UPDATE Documents SET Status = 'Published' WHERE Id = '{id.ToString().ToUpperInvariant()}'");

        var early = await RunAsync(app, j => j.RemindPlanClocksAsync(CancellationToken.None));
        clock.SetUtcNow(new DateTimeOffset(2026, 9, 1, 8, 30, 0, TimeSpan.FromHours(8)));
        var due = await RunAsync(app, j => j.RemindPlanClocksAsync(CancellationToken.None));
        var again = await RunAsync(app, j => j.RemindPlanClocksAsync(CancellationToken.None));

        Assert.Equal((0, 1, 0), (early, due, again));
        await using var scope = app.Services.CreateAsyncScope();
        var sent = await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<Notification>().AsNoTracking().Where(n => n.DocumentId == id && n.Kind == NotificationKind.Reminder).ToListAsync();
        Assert.Contains(sent, n => n.Recipient == "zhaomin");
        Assert.Contains(sent, n => n.Recipient != "zhaomin" && n.Recipient != "chenjing");
        Assert.All(sent, n => Assert.Contains("2026-09-20", n.Body));
        Assert.All(sent, n => Assert.StartsWith("【演练提醒】", n.Subject));
    }

    private static (AppFactory App, FakeTimeProvider Clock) Start(DateTimeOffset now)
    {
        var clock = new FakeTimeProvider(now);
        var app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });
        return (app, clock);
    }

    private static async Task<T> RunAsync<T>(AppFactory app, Func<ClockJobs, Task<T>> job)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await job(scope.ServiceProvider.GetRequiredService<ClockJobs>());
    }

    private static async Task<List<ApprovalTask>> TasksAsync(AppFactory app, string instanceId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<ApprovalTask>().AsNoTracking().Where(t => t.WorkflowInstanceId == instanceId).ToListAsync();
    }
}
