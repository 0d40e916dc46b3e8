using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// The timer scenario the Hangfire tests share (SQLite and PostgreSQL): Start → Delay → a task for linfang with a
/// deadline and one 催办 before it, never timing out; and the reads that watch it happen on the system clock.
/// </summary>
public static class TimerScenario
{
    public const string DefinitionId = "timer-scenario";

    /// <summary>Publishes the scenario with these durations and starts an instance; returns its id.</summary>
    public static async Task<string> StartAsync(AppFactory app, string delay, string due, string reminder)
    {
        var json = $$"""
            {
              "id": "timer-scenario-v1", "definitionId": "{{DefinitionId}}", "name": "Timer scenario", "version": 1,
              "root": {
                "id": "flow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "version": 1 },
                  { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "{{delay}}" } } },
                  { "id": "task", "type": "SafetyWorkflows.RequestApproval", "version": 1,
                    "step": { "typeName": "String", "expression": { "type": "Literal", "value": "复查" } },
                    "assignees": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"linfang\"]" } },
                    "due": { "typeName": "String", "expression": { "type": "Literal", "value": "{{due}}" } },
                    "reminders": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"{{reminder}}\"]" } },
                    "remindAtDue": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "false" } },
                    "timeout": { "typeName": "String", "expression": { "type": "Literal", "value": "never" } } }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "task", "port": "In" } }
                ]
              }
            }
            """;
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>().PublishAsync(DefinitionId, DefinitionReader.Parse(json, "test"), CancellationToken.None);
        var run = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(DefinitionId, new StartWorkflowRequest(), null, CancellationToken.None);
        return run.State.Id;
    }

    /// <summary>The 催办 sent for the instance's tasks.</summary>
    public static async Task<List<Notification>> RemindersAsync(SafetyDbContext db, string instanceId)
    {
        var tasks = await db.Set<ApprovalTask>().AsNoTracking().Where(t => t.WorkflowInstanceId == instanceId).Select(t => t.Id).ToListAsync();
        return await db.Set<Notification>().AsNoTracking().Where(n => n.Kind == NotificationKind.Reminder && n.TaskId != null && tasks.Contains(n.TaskId.Value)).ToListAsync();
    }

    /// <summary>Reads in a fresh scope every 250 ms until <paramref name="done"/> or the timeout; returns the last read.</summary>
    public static async Task<T> WaitForAsync<T>(AppFactory app, Func<SafetyDbContext, Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var value = await read(scope.ServiceProvider.GetRequiredService<SafetyDbContext>());
                if (done(value) || DateTime.UtcNow > until)
                {
                    return value;
                }
            }

            await Task.Delay(250);
        }
    }
}
