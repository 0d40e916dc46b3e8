using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Exports;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>Section <c>Clocks</c>: the township's recurring campaigns and reminders.</summary>
public sealed class ClockOptions
{
    public const string Section = "Clocks";

    /// <summary>Holiday inspection campaigns open this many working days before the holiday.</summary>
    [Range(1, 30)]
    public int CampaignLeadWorkingDays { get; set; } = 5;

    /// <summary>Plan drill and evaluation reminders go out this many days before they are due.</summary>
    [Range(1, 180)]
    public int PlanReminderLeadDays { get; set; } = 30;

    /// <summary>The unit whose plans are the township's own (drilled at least every 2 years).</summary>
    [Required]
    public string TownUnitId { get; set; } = "town-gov";

    /// <summary>The workflow a holiday campaign starts (inspection tasks for the safety office).</summary>
    [Required]
    public string CampaignWorkflow { get; set; } = "holiday-inspection-campaign";

    /// <summary>The workflow the quarterly hazard statistics start (a submission per village, due the 15th).</summary>
    [Required]
    public string StatisticsWorkflow { get; set; } = "quarterly-hazard-statistics";
}

/// <summary>The stable ids and schedules (Asia/Shanghai) of the recurring jobs.</summary>
public static class RecurringClocks
{
    public static readonly IReadOnlyList<(string Id, string Cron, string Rule)> All =
    [
        ("clocks:holiday-campaigns", "0 8 * * *", "节前安全生产大检查：元旦、春节、清明、五一、安全生产月、十一前 N 个工作日开始 (holiday inspection campaigns)"),
        ("clocks:quarterly-meeting-training", "0 9 1 1,4,7,10 *", "每季度安全工作例会和安全培训会议：各开一项待办，上传会议纪要即办结 (quarterly safety meeting and training: a task each, completed by uploading the minutes)"),
        ("clocks:quarterly-hazard-statistics", "0 9 1 1,4,7,10 *", "季度隐患排查治理统计，季后次月 15 日前报送 (quarterly hazard statistics due by the 15th)"),
        ("clocks:annual-responsibility-letters", "0 9 2 1 *", "年度安全生产责任书签订工作启动 (annual responsibility-letter cycle)"),
        ("clocks:plan-drills-evaluations", "30 8 * * *", "应急预案演练（半年/一年/两年）和三年评估提醒 (plan drill and evaluation reminders)"),
    ];

    /// <summary>Registers (or updates) every recurring job under its stable id, in China time.</summary>
    public static void RegisterRecurringClocks(this IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        var options = new RecurringJobOptions { TimeZone = WorkingCalendar.China };
        manager.AddOrUpdate<ClockJobs>(All[0].Id, j => j.OpenHolidayCampaignsAsync(CancellationToken.None), All[0].Cron, options);
        manager.AddOrUpdate<ClockJobs>(All[1].Id, j => j.RemindQuarterlyMeetingsAsync(CancellationToken.None), All[1].Cron, options);
        manager.AddOrUpdate<ClockJobs>(All[2].Id, j => j.OpenHazardStatisticsAsync(CancellationToken.None), All[2].Cron, options);
        manager.AddOrUpdate<ClockJobs>(All[3].Id, j => j.StartLetterCycleAsync(CancellationToken.None), All[3].Cron, options);
        manager.AddOrUpdate<ClockJobs>(All[4].Id, j => j.RemindPlanClocksAsync(CancellationToken.None), All[4].Cron, options);
    }
}

/// <summary>Marks a recurring reminder as sent for one period, in the same transaction as its notifications (idempotency).</summary>
public sealed class ClockRun
{
    public required string Key { get; init; }

    public DateTimeOffset RanAt { get; init; }
}

internal sealed class ClockRunConfiguration : IEntityTypeConfiguration<ClockRun>
{
    public void Configure(EntityTypeBuilder<ClockRun> builder)
    {
        builder.ToTable("ClockRuns");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(200);
    }
}

/// <summary>
/// The recurring jobs. Each is idempotent: campaigns and statistics start instances with ids derived from the period
/// (a second run finds them), reminders record a <see cref="ClockRun"/> with their notifications.
/// </summary>
public sealed class ClockJobs(
    WorkflowHost host,
    IWorkflowInstanceStore instances,
    SafetyDbContext db,
    WorkingCalendar calendar,
    IAssigneeResolver resolver,
    INotificationOutbox outbox,
    TimeProvider clock,
    IOptions<ClockOptions> options,
    ILogger<ClockJobs> logger,
    HazardStatisticsSheets sheets)
{
    private DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), WorkingCalendar.China).DateTime);

    /// <summary>Opens the holiday inspection campaigns due today: inspection tasks for the safety office, due the day before the holiday.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> OpenHolidayCampaignsAsync(CancellationToken cancellationToken)
    {
        var opened = 0;
        foreach (var campaign in HolidayCampaigns.OpenOn(calendar, Today, options.Value.CampaignLeadWorkingDays))
        {
            var title = HolidayCampaigns.Title(campaign);

            // The leaders hear that the campaign opened: the notices join the instance's commit (same unit of work), so they
            // are written exactly when the campaign starts, and dropped again if another run started it first.
            var now = clock.GetUtcNow();
            var due = campaign.HolidayStarts.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var notices = (await resolver.ResolveAsync(["leader-in-charge", "safety-head"], cancellationToken))
                .Select(leader => new Notification(leader, NotificationKind.CampaignOpened, title,
                    $"{title}已开始：安办和检查员的检查任务须于 {due} 前报送检查记录（谁检查谁签字）。", null, null, now))
                .ToList();
            notices.ForEach(outbox.Add);
            if (!await StartOnceAsync(options.Value.CampaignWorkflow, "campaign-" + campaign.Id, new JsonObject
            {
                ["title"] = title,
                ["campaign"] = campaign.Id,
                ["due"] = campaign.HolidayStarts.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }, cancellationToken))
            {
                foreach (var notice in notices)
                {
                    db.Entry(notice).State = EntityState.Detached;
                }

                continue;
            }

            opened++;
        }

        return opened;
    }

    /// <summary>Opens the hazard statistics of the quarter just ended: a submission per village, due the 15th of this month.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<bool> OpenHazardStatisticsAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        var lastQuarterEnd = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddDays(-1);
        var quarter = $"{lastQuarterEnd.Year.ToString(CultureInfo.InvariantCulture)}Q{((lastQuarterEnd.Month - 1) / 3) + 1}";
        var due = new DateOnly(today.Year, today.Month, 15);
        var instanceId = "hazard-statistics-" + quarter;
        var started = await StartOnceAsync(options.Value.StatisticsWorkflow, instanceId, new JsonObject
        {
            ["title"] = $"{HolidayCampaigns.QuarterWords(lastQuarterEnd)}隐患排查治理情况统计" + (lastQuarterEnd.Month == 12 ? "（含全年统计，1月31日前报送）" : ""),
            ["quarter"] = quarter,
            ["due"] = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, cancellationToken);

        // Each village head confirms the sheet computed from the orders instead of filling one in from scratch. Also on a
        // second run: a retry after the instance started but before the sheets were attached still attaches them.
        await sheets.AttachAsync(instanceId, lastQuarterEnd.Year, ((lastQuarterEnd.Month - 1) / 3) + 1, cancellationToken);
        return started;
    }

    [AutomaticRetry(Attempts = 3)]
    public async Task<bool> RemindQuarterlyMeetingsAsync(CancellationToken cancellationToken)
    {
        // Two tasks for the safety office, each completed by uploading its minutes (会议纪要) dated in the quarter.
        var today = Today;
        var quarterEnd = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(3).AddDays(-1);
        var started = false;
        foreach (var kind in Core.Records.MeetingTasks.Kinds)
        {
            started |= await StartOnceAsync(Core.Records.MeetingTasks.Workflow, Core.Records.MeetingTasks.InstanceId(today, kind), new JsonObject
            {
                ["title"] = $"{HolidayCampaigns.QuarterWords(today)}{kind}（会后上传会议纪要）",
                ["kind"] = kind,
                ["quarter"] = $"{today.Year.ToString(CultureInfo.InvariantCulture)}Q{((today.Month - 1) / 3) + 1}",
                ["due"] = quarterEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }, cancellationToken);
        }

        return started;
    }

    [AutomaticRetry(Attempts = 3)]
    public async Task<bool> StartLetterCycleAsync(CancellationToken cancellationToken)
    {
        var year = Today.Year.ToString(CultureInfo.InvariantCulture);
        return await NotifyOnceAsync($"responsibility-letters-{year}", ["safety-head", "safety-clerk"],
            $"【提醒】{year} 年度安全生产责任书签订工作启动",
            $"请按单位类别起草 {year} 年度安全生产责任书并提交审批，签订情况将计入年度考核。", null, cancellationToken);
    }

    /// <summary>Reminds each plan's unit and the safety office of drills and evaluations due within the lead time, once per due date.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> RemindPlanClocksAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        var plans = await db.Set<Document>().AsNoTracking()
            .Where(d => d.LibraryKey == Libraries.EmergencyPlans && d.Status != DocumentStatus.Archived && d.Status != DocumentStatus.Draft)
            .Select(d => new { d.Id, d.Title, d.UnitId, d.MetadataJson }).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var plan in plans)
        {
            foreach (var due in PlanClocks.For(plan.MetadataJson, options.Value.TownUnitId).Where(c => c.DueOn.AddDays(-options.Value.PlanReminderLeadDays) <= today))
            {
                var what = due.Kind == PlanClocks.Drill ? "演练" : "评估";
                var overdue = due.DueOn < today ? "已逾期" : "即将到期";
                if (await NotifyOnceAsync($"plan-{due.Kind}-{plan.Id:N}-{due.DueOn:yyyyMMdd}", ["unit:" + plan.UnitId, "safety-clerk"],
                    $"【{what}提醒】{plan.Title}",
                    $"应急预案《{plan.Title}》的{what}{overdue}（{due.DueOn:yyyy-MM-dd}；{due.Rule}）。请安排并上传记录：/documents/{plan.Id}", plan.Id, cancellationToken))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    private async Task<bool> StartOnceAsync(string definitionId, string instanceId, JsonObject input, CancellationToken cancellationToken)
    {
        if (await instances.FindAsync(instanceId, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await host.StartAsync(definitionId, new StartWorkflowRequest { InstanceId = instanceId, CorrelationId = instanceId, Input = input }, null, cancellationToken);
            logger.LogInformation("Clock started {Definition} as {Instance}", definitionId, instanceId);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another run of this job started the same period's instance first (its id is the primary key).
            if (await instances.FindAsync(instanceId, CancellationToken.None) is not null)
            {
                return false;
            }

            throw;
        }
    }

    private async Task<bool> NotifyOnceAsync(string key, IReadOnlyList<string> to, string subject, string body, Guid? documentId, CancellationToken cancellationToken)
    {
        if (await db.Set<ClockRun>().AnyAsync(r => r.Key == key, cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        foreach (var recipient in await resolver.ResolveAsync(to, cancellationToken))
        {
            outbox.Add(new Notification(recipient, NotificationKind.Reminder, subject, body, documentId, null, now));
        }

        db.Set<ClockRun>().Add(new ClockRun { Key = key, RanAt = now });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}

/// <summary>
/// Attaches to every open task of a quarterly statistics instance the sheet computed for the assignee's village
/// (<see cref="HazardStatistics"/>), once per task: the village head checks it and submits it (确认报送), or adds a corrected one.
/// </summary>
public sealed class HazardStatisticsSheets(
    IApprovalTaskRepository tasks,
    ITaskAttachmentRepository attachments,
    IOrganisationDirectory directory,
    HazardStatistics statistics,
    IFileStore files,
    SafetyDbContext db,
    TimeProvider clock)
{
    /// <summary>The uploader recorded on the computed sheets.</summary>
    public const string By = "system";

    public async Task<int> AttachAsync(string instanceId, int year, int quarter, CancellationToken cancellationToken)
    {
        var attached = 0;
        foreach (var task in await tasks.ListOpenForInstanceAsync(instanceId, TaskKind.Submission, cancellationToken))
        {
            if ((await attachments.ListAsync(task.Id, cancellationToken)).Any(a => a.UploadedBy == By)
                || await directory.FindOfficialAsync(task.Assignee, cancellationToken) is not { UnitId: { } villageId })
            {
                continue;
            }

            var view = await statistics.ComputeForVillageAsync(year, quarter, villageId, cancellationToken);
            var village = await directory.FindUnitAsync(villageId, cancellationToken);
            await using var sheet = await XlsxWriter.WriteTemporaryAsync("隐患排查治理统计", HazardSheets.Statistics, HazardSheets.StatisticsRows(view), cancellationToken);
            await using var staged = await files.StageAsync(sheet, long.MaxValue, cancellationToken);
            await staged.CommitAsync(cancellationToken);
            var file = new StoredFile(staged.Sha256, HazardSheets.StatisticsFileName(view, village?.Name ?? villageId), XlsxWriter.ContentType, staged.Length);
            attachments.Add(new TaskAttachment(task.Id, file, By, clock.GetUtcNow(), EvidenceLabels.Other));
            attached++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return attached;
    }
}
