using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>Reads pending clocks from the bookmark index, the open tasks, the timer triggers and Hangfire's recurring jobs.</summary>
internal sealed class EfClockBoard(
    SafetyDbContext db, ITriggerStore triggers, JobStorage storage, WorkingCalendar calendar, TimeProvider clock, Core.Organisation.IOrganisationDirectory directory,
    Microsoft.Extensions.Options.IOptions<ClockOptions> clockOptions) : IClockBoard
{
    private string TownUnitId => clockOptions.Value.TownUnitId;

    private Dictionary<string, string>? _names;

    /// <summary>Roles, units and officials by name, for the rule sentences (read once per board).</summary>
    private async Task<Func<IReadOnlyList<string>, string>> NamesAsync(CancellationToken cancellationToken)
    {
        if (_names is null)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var role in await directory.ListRolesAsync(cancellationToken))
            {
                names[role.Key] = role.Name;
            }

            foreach (var unit in await directory.ListUnitsAsync(cancellationToken))
            {
                names["unit:" + unit.Id] = unit.Name;
            }

            foreach (var official in await directory.ListOfficialsAsync(cancellationToken))
            {
                names[official.UserName] = official.DisplayName;
            }

            _names = names;
        }

        var known = _names;
        return entries => string.Join("、", entries.Select(e => known.GetValueOrDefault(e, e)));
    }

    public async Task<IReadOnlyList<PendingClock>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var clocks = new List<PendingClock>();
        clocks.AddRange(await TimersAsync(null, cancellationToken));
        clocks.AddRange(await DeadlinesAsync(db.Set<ApprovalTask>().Where(t => t.Status == ApprovalTaskStatus.Open && t.DueAt != null), cancellationToken));
        var now = clock.GetUtcNow();
        foreach (var trigger in await triggers.ListTimersAsync(cancellationToken))
        {
            clocks.Add(new PendingClock(WorkflowHost.NextTriggerTime(trigger, now), PendingClockKind.TimerTrigger,
                TriggerRule(trigger), DefinitionId: trigger.WorkflowDefinitionId));
        }

        clocks.AddRange(await PlanClocksAsync(null, cancellationToken));
        using (var connection = storage.GetConnection())
        {
            foreach (var job in connection.GetRecurringJobs())
            {
                var rule = RecurringClocks.All.FirstOrDefault(c => c.Id == job.Id).Rule ?? job.Id;
                clocks.Add(new PendingClock(job.NextExecution is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null, PendingClockKind.Recurring,
                    $"{rule} · {job.Cron}", Step: job.Id));
            }
        }

        return Sorted(clocks).Take(limit).ToList();
    }

    /// <summary>
    /// The published plans' next drill and evaluation (<see cref="PlanClocks"/>), due at 09:00 China time on their day: a
    /// drill record approved for the plan's unit and type moves <c>lastDrill</c>, and with it the drill clock.
    /// </summary>
    private async Task<IReadOnlyList<PendingClock>> PlanClocksAsync(Guid? documentId, CancellationToken cancellationToken)
    {
        var plans = db.Documents.AsNoTracking().Where(d => d.LibraryKey == Libraries.EmergencyPlans && d.Status == DocumentStatus.Published);
        if (documentId is { } id)
        {
            plans = plans.Where(d => d.Id == id);
        }

        var clocks = new List<PendingClock>();
        foreach (var plan in await plans.Select(d => new { d.Id, d.Title, d.MetadataJson }).ToListAsync(cancellationToken))
        {
            foreach (var due in PlanClocks.For(plan.MetadataJson, TownUnitId))
            {
                var local = due.DueOn.ToDateTime(new TimeOnly(9, 0));
                clocks.Add(new PendingClock(new DateTimeOffset(local, WorkingCalendar.China.GetUtcOffset(local)),
                    due.Kind == PlanClocks.Drill ? PendingClockKind.PlanDrill : PendingClockKind.PlanEvaluation, due.Rule,
                    Step: plan.Title, DocumentId: plan.Id, DocumentTitle: plan.Title));
            }
        }

        return clocks;
    }

    public async Task<IReadOnlyList<PendingClock>> ForDocumentAsync(Guid documentId, CancellationToken cancellationToken)
    {
        var correlation = documentId.ToString();
        var instances = await db.Set<WorkflowInstanceRow>().AsNoTracking()
            .Where(i => i.CorrelationId == correlation).Select(i => i.Id).ToListAsync(cancellationToken);
        var clocks = new List<PendingClock>(await TimersAsync(instances, cancellationToken));
        clocks.AddRange(await DeadlinesAsync(db.Set<ApprovalTask>().Where(t => t.DocumentId == documentId && t.Status == ApprovalTaskStatus.Open && t.DueAt != null), cancellationToken));
        clocks.AddRange(await PlanClocksAsync(documentId, cancellationToken));
        return Sorted(clocks).ToList();
    }

    public async Task<IReadOnlyList<PendingClock>> ForTaskAsync(Guid taskId, CancellationToken cancellationToken)
    {
        var task = await db.Set<ApprovalTask>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || !task.IsOpen)
        {
            return [];
        }

        var timers = await TimersAsync([task.WorkflowInstanceId], cancellationToken);
        return Sorted(timers.Where(c => c.TaskId == null || c.Step == task.Step)).Where(c => c.Kind != PendingClockKind.WorkflowTimer).ToList();
    }

    public async Task<IReadOnlyList<string>> WarningsAsync(CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var year = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), WorkingCalendar.China).Year;
        foreach (var uncovered in new[] { year, year + 1 }.Where(y => !calendar.Covers(y)))
        {
            var moving = HolidayCampaigns.Unplaceable(calendar, uncovered);
            warnings.Add($"节假日安排未录入 {uncovered.ToString(CultureInfo.InvariantCulture)} 年（seeds/cn-holidays.json）：工作日期限暂按周末计算，{string.Join("、", moving)}节前检查无法排期。" +
                $" (The holiday calendar does not cover {uncovered.ToString(CultureInfo.InvariantCulture)}: working-day deadlines count weekends only and the {string.Join(", ", moving)} campaigns cannot be scheduled.)");
        }

        var uncertain = await db.Set<ApprovalTask>().AsNoTracking().CountAsync(t => t.Status == ApprovalTaskStatus.Open && t.DueNote != null, cancellationToken);
        if (uncertain > 0)
        {
            warnings.Add($"{uncertain.ToString(CultureInfo.InvariantCulture)} 件待办的期限跨入未录入的年份，请核对。 ({uncertain.ToString(CultureInfo.InvariantCulture)} open tasks have deadlines in a year the calendar does not cover.)");
        }

        return warnings;
    }

    private async Task<List<PendingClock>> TimersAsync(IReadOnlyCollection<string>? instanceIds, CancellationToken cancellationToken)
    {
        var query = db.Set<BookmarkRow>().AsNoTracking().Timers();
        if (instanceIds is not null)
        {
            query = query.Where(b => instanceIds.Contains(b.WorkflowInstanceId));
        }

        var rows = await query.Select(b => new { b.Name, b.PayloadJson, b.WorkflowInstanceId, b.ActivityInstanceId }).ToListAsync(cancellationToken);
        var activityInstances = rows.Select(r => r.ActivityInstanceId).Distinct().ToList();
        var steps = (await db.Set<ApprovalTask>().AsNoTracking().Where(t => activityInstances.Contains(t.ActivityInstanceId))
            .Select(t => new { t.ActivityInstanceId, t.Id, t.Step, t.DocumentId, t.Status }).ToListAsync(cancellationToken))
            .GroupBy(t => t.ActivityInstanceId).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Status).First());
        var instances = rows.Select(r => r.WorkflowInstanceId).Distinct().ToList();
        var workflows = await db.Set<WorkflowInstanceRow>().AsNoTracking().Where(i => instances.Contains(i.Id))
            .Select(i => new { i.Id, i.DefinitionId, i.CorrelationId }).ToDictionaryAsync(i => i.Id, cancellationToken);
        var titles = await TitlesAsync(steps.Values.Select(s => s.DocumentId)
            .Concat(workflows.Values.Select(w => Guid.TryParse(w.CorrelationId, out var id) ? id : (Guid?)null)), cancellationToken);

        var names = await NamesAsync(cancellationToken);
        var clocks = new List<PendingClock>();
        foreach (var row in rows)
        {
            var payload = JsonNode.Parse(row.PayloadJson!) as JsonObject;
            var at = WorkflowHost.BookmarkTime(payload);
            var step = steps.GetValueOrDefault(row.ActivityInstanceId);
            var workflow = workflows.GetValueOrDefault(row.WorkflowInstanceId);
            var documentId = step?.DocumentId ?? (Guid.TryParse(workflow?.CorrelationId, out var id) ? id : null);
            var taskClock = row.Name == RequestApproval.ClockBookmarkName && payload is not null ? TaskClock.FromPayload(payload) : null;
            var (kind, rule) = row.Name switch
            {
                _ when taskClock is not null => (Kind(taskClock), taskClock.Describe(english: false, names)),
                RequestApproval.DueBookmarkName => (PendingClockKind.StepTimeout, StepTimeoutRule),
                _ => (PendingClockKind.WorkflowTimer, TimerRule(row.Name, payload?["CronExpression"]?.ToString())),
            };
            clocks.Add(new PendingClock(at, kind, rule, step?.Step, documentId, documentId is { } d ? titles.GetValueOrDefault(d) : null,
                row.WorkflowInstanceId, workflow?.DefinitionId, step?.Id) { TaskClock = taskClock });
        }

        return clocks;
    }

    private async Task<List<PendingClock>> DeadlinesAsync(IQueryable<ApprovalTask> open, CancellationToken cancellationToken)
    {
        var tasks = await open.AsNoTracking().ToListAsync(cancellationToken);
        var titles = await TitlesAsync(tasks.Select(t => t.DocumentId), cancellationToken);
        var names = await NamesAsync(cancellationToken);
        return tasks.GroupBy(t => t.ActivityInstanceId).Select(g =>
        {
            var t = g.First();
            var assignees = g.Select(o => o.Assignee).Distinct().ToList();
            return new PendingClock(t.DueAt, PendingClockKind.Deadline, $"{names(assignees)}的办理期限",
                t.Step, t.DocumentId, t.DocumentId is { } d ? titles.GetValueOrDefault(d) : null, t.WorkflowInstanceId, null, t.Id, t.DueNote) { Assignees = assignees };
        }).ToList();
    }

    private async Task<Dictionary<Guid, string>> TitlesAsync(IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return await db.Set<Document>().AsNoTracking().Where(d => wanted.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Title, cancellationToken);
    }

    public const string StepTimeoutRule = "到期仍未办结即按超时结束本环节";

    private static PendingClockKind Kind(TaskClock clock) => clock.Kind switch
    {
        TaskClockKind.Reminder => PendingClockKind.Reminder,
        TaskClockKind.Escalation => PendingClockKind.Escalation,
        _ => PendingClockKind.ProgressReport,
    };

    /// <summary>A workflow timer in the office's words (延时, 定时, 周期 with its cron expression).</summary>
    private static string TimerRule(string bookmark, string? cron) => bookmark switch
    {
        "Elsa.Delay" => "流程延时",
        "Elsa.Timer" => "流程定时",
        "Elsa.StartAt" => "流程定时启动",
        "Elsa.Cron" => $"流程周期定时（{cron}）",
        _ => "流程定时器",
    };

    private static string TriggerRule(StoredTrigger trigger) =>
        TimerRule(trigger.Name, null) + " " +
        (trigger.Payload?.GetString("CronExpression") ?? trigger.Payload?.GetString("Interval") ?? trigger.Payload?.GetString("ExecuteAt") ?? "");

    private static IEnumerable<PendingClock> Sorted(IEnumerable<PendingClock> clocks) =>
        clocks.OrderBy(c => c.At is null).ThenBy(c => c.At).ThenBy(c => c.Kind);
}
