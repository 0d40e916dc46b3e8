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
internal sealed class EfClockBoard(SafetyDbContext db, ITriggerStore triggers, JobStorage storage, WorkingCalendar calendar, TimeProvider clock) : IClockBoard
{
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

        using (var connection = storage.GetConnection())
        {
            foreach (var job in connection.GetRecurringJobs())
            {
                var rule = RecurringClocks.All.FirstOrDefault(c => c.Id == job.Id).Rule ?? job.Id;
                clocks.Add(new PendingClock(job.NextExecution is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null, PendingClockKind.Recurring,
                    $"{rule} · {job.Cron} ({job.TimeZoneId})", Step: job.Id));
            }
        }

        return Sorted(clocks).Take(limit).ToList();
    }

    public async Task<IReadOnlyList<PendingClock>> ForDocumentAsync(Guid documentId, CancellationToken cancellationToken)
    {
        var correlation = documentId.ToString();
        var instances = await db.Set<WorkflowInstanceRow>().AsNoTracking()
            .Where(i => i.CorrelationId == correlation).Select(i => i.Id).ToListAsync(cancellationToken);
        var clocks = new List<PendingClock>(await TimersAsync(instances, cancellationToken));
        clocks.AddRange(await DeadlinesAsync(db.Set<ApprovalTask>().Where(t => t.DocumentId == documentId && t.Status == ApprovalTaskStatus.Open && t.DueAt != null), cancellationToken));
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

        var clocks = new List<PendingClock>();
        foreach (var row in rows)
        {
            var payload = JsonNode.Parse(row.PayloadJson!) as JsonObject;
            var at = WorkflowHost.BookmarkTime(payload);
            var step = steps.GetValueOrDefault(row.ActivityInstanceId);
            var workflow = workflows.GetValueOrDefault(row.WorkflowInstanceId);
            var documentId = step?.DocumentId ?? (Guid.TryParse(workflow?.CorrelationId, out var id) ? id : null);
            var (kind, rule) = row.Name switch
            {
                RequestApproval.ClockBookmarkName when payload is not null => Describe(TaskClock.FromPayload(payload)),
                RequestApproval.DueBookmarkName => (PendingClockKind.StepTimeout, "到期未办结则经 TimedOut 结束本步骤 (the step ends through TimedOut)"),
                _ => (PendingClockKind.WorkflowTimer, row.Name.Replace("Elsa.", "", StringComparison.Ordinal) + (payload?["CronExpression"] is { } cron ? $" {cron}" : "")),
            };
            clocks.Add(new PendingClock(at, kind, rule, step?.Step, documentId, documentId is { } d ? titles.GetValueOrDefault(d) : null,
                row.WorkflowInstanceId, workflow?.DefinitionId, step?.Id));
        }

        return clocks;
    }

    private async Task<List<PendingClock>> DeadlinesAsync(IQueryable<ApprovalTask> open, CancellationToken cancellationToken)
    {
        var tasks = await open.AsNoTracking().ToListAsync(cancellationToken);
        var titles = await TitlesAsync(tasks.Select(t => t.DocumentId), cancellationToken);
        return tasks.GroupBy(t => t.ActivityInstanceId).Select(g => g.First()).Select(t => new PendingClock(
            t.DueAt, PendingClockKind.Deadline, $"办理期限 · {string.Join("、", tasks.Where(o => o.ActivityInstanceId == t.ActivityInstanceId).Select(o => o.Assignee))}",
            t.Step, t.DocumentId, t.DocumentId is { } d ? titles.GetValueOrDefault(d) : null, t.WorkflowInstanceId, null, t.Id, t.DueNote)).ToList();
    }

    private async Task<Dictionary<Guid, string>> TitlesAsync(IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return await db.Set<Document>().AsNoTracking().Where(d => wanted.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Title, cancellationToken);
    }

    private static (PendingClockKind, string) Describe(TaskClock clock) => clock.Kind switch
    {
        TaskClockKind.Reminder => (PendingClockKind.Reminder, clock.Describe()),
        TaskClockKind.Escalation => (PendingClockKind.Escalation, clock.Describe()),
        _ => (PendingClockKind.ProgressReport, clock.Describe()),
    };

    private static string TriggerRule(StoredTrigger trigger) =>
        trigger.Name.Replace("Elsa.", "", StringComparison.Ordinal) + " " +
        (trigger.Payload?.GetString("CronExpression") ?? trigger.Payload?.GetString("Interval") ?? trigger.Payload?.GetString("ExecuteAt") ?? "");

    private static IEnumerable<PendingClock> Sorted(IEnumerable<PendingClock> clocks) =>
        clocks.OrderBy(c => c.At is null).ThenBy(c => c.At).ThenBy(c => c.Kind);
}
