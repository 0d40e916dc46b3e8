using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.IntegrationTests.Clocks;

/// <summary>
/// The real Hangfire server on the real SQLite job storage (<c>{data}/hangfire.db</c>) and the system clock: timers of a
/// few seconds really fire, once, also across a restart; a second process on the same file is refused.
/// </summary>
public sealed class HangfireStorageTests
{
    private static readonly Dictionary<string, string> FastServer = new()
    {
        ["Hangfire:ServerEnabled"] = "true",
        ["Hangfire:SchedulePollingInterval"] = "00:00:00.5",
        ["Hangfire:QueuePollInterval"] = "00:00:00.5",
    };

    [Fact]
    public async Task ADelayAndAReminderOfAFewSeconds_BothHappen_OnTheRealSqliteStorage()
    {
        await using var app = new AppFactory(settings: FastServer);
        var instanceId = await TimerScenario.StartAsync(app, delay: "00:00:02", due: "PT6S", reminder: "PT3S");

        var reminders = await TimerScenario.WaitForAsync(app, async db => await TimerScenario.RemindersAsync(db, instanceId), r => r.Count > 0, TimeSpan.FromSeconds(60));

        Assert.True(reminders.Count == 1, Diagnose(app));
        var reminder = reminders[0];
        Assert.Equal("linfang", reminder.Recipient);
        await using var scope = app.Services.CreateAsyncScope();
        var journal = await scope.ServiceProvider.GetRequiredService<IWorkflowJournalStore>().ListAsync(instanceId, CancellationToken.None);
        var resumed = Assert.Single(journal, j => j.ActivityId == "wait" && j.EventName == "Resumed");
        var task = Assert.Single(await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<ApprovalTask>().AsNoTracking().Where(t => t.WorkflowInstanceId == instanceId).ToListAsync());
        Assert.True(task.CreatedAt >= resumed.Timestamp, "the task opens after the delay");
        Assert.True(reminder.CreatedAt >= task.DueAt!.Value.AddSeconds(-3), "the reminder comes 3 s before the deadline, not earlier");
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "hangfire.db")));

        // Both ran as Hangfire jobs (the sweep is a minute away): the delay and the reminder, each once.
        Assert.Equal(2, await HangfireProbe.SucceededTimerJobsAsync(app.Services.GetRequiredService<JobStorage>(), 2));
    }

    private const string TimerStart = """
        {
          "id": "tick-v1", "definitionId": "timer-start", "name": "Timer start", "version": 1,
          "root": {
            "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "tick", "type": "Elsa.Timer", "version": 1, "customProperties": { "canStartWorkflow": true },
                "interval": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:00:02" } } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [ { "source": { "activity": "tick", "port": "Done" }, "target": { "activity": "end", "port": "In" } } ]
          }
        }
        """;

    [Fact]
    public async Task ATimerTrigger_StartsAnInstancePerOccurrence_AndOneOccurrenceDeliveredTwiceStartsOne()
    {
        await using var app = new AppFactory(settings: FastServer);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>().PublishAsync("timer-start", DefinitionReader.Parse(TimerStart, "test"), CancellationToken.None);
        }

        var started = await TimerScenario.WaitForAsync(app, _ => CountAsync(app), n => n >= 2, TimeSpan.FromSeconds(60));

        Assert.True(started >= 2, $"{started} instances");
        await using var check = app.Services.CreateAsyncScope();
        var trigger = Assert.Single(await check.ServiceProvider.GetRequiredService<ITriggerStore>().ListByDefinitionAsync("timer-start", CancellationToken.None));
        var host = check.ServiceProvider.GetRequiredService<WorkflowHost>();
        var occurrence = DateTimeOffset.UtcNow.AddDays(-1);
        var first = await host.FireTimerTriggerAsync(trigger.Id, occurrence, CancellationToken.None);
        var second = await host.FireTimerTriggerAsync(trigger.Id, occurrence, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(WorkflowSubStatus.Finished, first.State.SubStatus);
    }

    private static async Task<int> CountAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (_, total) = await scope.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>()
            .ListAsync(new InstanceQuery { DefinitionIds = ["timer-start"], PageSize = 1 }, CancellationToken.None);
        return total;
    }

    [Fact]
    public async Task APendingTimer_FiresExactlyOnceAfterARestart_OnTheSameFiles()
    {
        var data = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        string instanceId;
        DateTimeOffset startedAt;
        await using (var first = new AppFactory(dataDirectory: data, settings: FastServer))
        {
            startedAt = DateTimeOffset.UtcNow;
            instanceId = await TimerScenario.StartAsync(first, delay: "00:00:04", due: "PT30S", reminder: "PT20S");
        }

        await using var second = new AppFactory(dataDirectory: data, settings: FastServer);
        _ = second.Services;
        var tasks = await TimerScenario.WaitForAsync(second, async db => await db.Set<ApprovalTask>().AsNoTracking().Where(t => t.WorkflowInstanceId == instanceId).ToListAsync(), t => t.Count > 0, TimeSpan.FromSeconds(60));

        // Give a duplicate (a second job, or the sweep) every chance to fire as well.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await using var scope = second.Services.CreateAsyncScope();
        var journal = await scope.ServiceProvider.GetRequiredService<IWorkflowJournalStore>().ListAsync(instanceId, CancellationToken.None);
        var resumed = Assert.Single(journal, j => j.ActivityId == "wait" && j.EventName == "Resumed");
        Assert.True(resumed.Timestamp >= startedAt.AddSeconds(4), "the delay is not cut short by the restart");
        Assert.Single(await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().Set<ApprovalTask>().AsNoTracking().Where(t => t.WorkflowInstanceId == instanceId).ToListAsync());
        Assert.Single(tasks);
    }

    [Fact]
    public async Task ASecondProcessOnTheSameHangfireFile_IsRefused_NamingTheFile()
    {
        var data = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        await using var first = new AppFactory(dataDirectory: data);
        _ = first.Services;
        await using var second = new AppFactory(dataDirectory: data);

        var refused = Assert.ThrowsAny<Exception>(() => second.Services);

        var message = string.Join(" | ", Chain(refused).Select(e => e.Message));
        Assert.Contains("hangfire.db", message);
        Assert.Contains("Another SafetyWorkflows process", message);
    }

    [Fact]
    public async Task HangfireDashboard_IsForAdministratorsOnly()
    {
        await using var app = new AppFactory();
        var official = await app.ClientForAsync("zhaomin");
        var admin = await app.ClientForAsync("admin");
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var forOfficial = await official.GetAsync("/hangfire");
        var forAnonymous = await anonymous.GetAsync("/hangfire");
        var forAdmin = await admin.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, forOfficial.StatusCode);
        Assert.True(forAnonymous.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, forAnonymous.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.OK, forAdmin.StatusCode);
        var page = await forAdmin.Content.ReadAsStringAsync();
        Assert.Contains("安全生产文书流转 · 定时任务", page);
        Assert.Contains("Hangfire", page);
    }

    /// <summary>What Hangfire holds, for a failure message: scheduled, failed and succeeded jobs.</summary>
    private static string Diagnose(AppFactory app)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var scheduled = monitoring.ScheduledJobs(0, 50).Select(j => $"scheduled {j.Key} {j.Value.Job?.Method.Name} at {j.Value.EnqueueAt:O}");
        var failed = monitoring.FailedJobs(0, 50).Select(j => $"failed {j.Key} {j.Value.Job?.Method.Name}: {j.Value.ExceptionMessage}");
        var succeeded = monitoring.SucceededJobs(0, 50).Select(j => $"succeeded {j.Key} {j.Value.Job?.Method.Name}");
        var queued = monitoring.EnqueuedJobs("default", 0, 50).Select(j => $"enqueued {j.Key} {j.Value.Job?.Method.Name}");
        var processing = monitoring.ProcessingJobs(0, 50).Select(j => $"processing {j.Key} {j.Value.Job?.Method.Name} on {j.Value.ServerId}");
        return $"now {DateTimeOffset.UtcNow:O}; servers {string.Join(",", monitoring.Servers().Select(s => s.Name))}; " + string.Join(" | ", scheduled.Concat(failed).Concat(succeeded).Concat(queued).Concat(processing));
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
