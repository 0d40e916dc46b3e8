using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>
/// ADR-012: a request commits its timers and notification deliveries as rows and never calls Hangfire; the outbox pump
/// hands them to jobs afterwards. Here the process is killed (SIGKILL) after the commits and before any pump cycle has
/// seen them: after a restart every timer fires once and every notification is delivered once.
/// </summary>
public sealed class PumpCrashTests : IDisposable
{
    private const int Instances = 3;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "safety-pump-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task KilledBetweenTheCommitAndThePump_EveryTimerAndNotificationFiresOnceAfterRestart()
    {
        Directory.CreateDirectory(_data);

        // The first process's pump runs once at start (nothing to do) and then not for ten minutes: whatever the requests
        // commit stays unhanded until the kill.
        var web = await WebProcess.StartAsync(_data, TimeSpan.FromSeconds(90), new Dictionary<string, string> { ["Hangfire__PumpInterval"] = "00:10:00" });
        try
        {
            using var admin = await web.ClientForAsync("admin");
            await PublishAsync(admin, "pump-crash-now", delay: null);
            await PublishAsync(admin, "pump-crash-later", delay: "00:00:02");
            for (var i = 0; i < Instances; i++)
            {
                (await admin.PostAsync("/elsa/api/workflow-definitions/pump-crash-now/execute", Json(new JsonObject()))).EnsureSuccessStatusCode();
                (await admin.PostAsync("/elsa/api/workflow-definitions/pump-crash-later/execute", Json(new JsonObject()))).EnsureSuccessStatusCode();
            }

            // Committed: a task and its notice per "now" instance, a due timer per "later" instance, none handed to Hangfire.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(Instances, await web.ScalarAsync(TasksOf("pump-crash-now")));
            Assert.Equal(Instances, await web.ScalarAsync(DueTimers + " AND HandedOffAt IS NULL"));
            Assert.Equal(Instances, await web.ScalarAsync(
                "SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Pending' AND HandedOffAt IS NULL AND Recipient = 'linfang'"));
            Assert.Equal(0, await web.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Sent'"));
        }
        finally
        {
            await web.KillAsync();
            await web.DisposeAsync();
        }

        await using var restarted = await WebProcess.StartAsync(_data, TimeSpan.FromSeconds(90));
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60)
               && (await restarted.ScalarAsync(TasksOf("pump-crash-later")) < Instances
                   || await restarted.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Status <> 'Sent'") > 0))
        {
            await Task.Delay(250);
        }

        // Every timer fired once: one resume per instance, one task per instance, no timer left.
        Assert.Equal(Instances, await restarted.ScalarAsync(TasksOf("pump-crash-later")));
        Assert.Equal(Instances, await restarted.ScalarAsync(
            "SELECT COUNT(*) FROM WorkflowJournal j JOIN WorkflowInstances i ON i.Id = j.WorkflowInstanceId, json_each(j.Json) r " +
            "WHERE i.DefinitionId = 'pump-crash-later' AND json_extract(r.value, '$.nodeId') LIKE '%wait' AND json_extract(r.value, '$.eventName') = 'Resumed'"));
        Assert.Equal(0, await restarted.ScalarAsync(DueTimers));

        // Every notification delivered once: one delivery per notice, each sent on its first attempt.
        Assert.Equal(2 * Instances, await restarted.ScalarAsync("SELECT COUNT(*) FROM Notifications WHERE Recipient = 'linfang'"));
        Assert.Equal(0, await restarted.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Status <> 'Sent'"));
        Assert.Equal(0, await restarted.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Attempts <> 1"));
        Assert.Equal(await restarted.ScalarAsync("SELECT COUNT(*) FROM Notifications"), await restarted.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries"));
    }

    /// <summary>Timer bookmarks due by now (the delays; the tasks' deadlines are days ahead). SQLite keeps UTC ticks.</summary>
    private static string DueTimers => $"SELECT COUNT(*) FROM WorkflowBookmarks WHERE DueAt IS NOT NULL AND DueAt <= {DateTimeOffset.UtcNow.UtcTicks}";

    private static string TasksOf(string definitionId) =>
        $"SELECT COUNT(*) FROM ApprovalTasks t JOIN WorkflowInstances i ON i.Id = t.WorkflowInstanceId WHERE i.DefinitionId = '{definitionId}' AND t.Assignee = 'linfang'";

    private static async Task PublishAsync(HttpClient admin, string id, string? delay)
    {
        var wait = delay is null ? "" : $$"""
            { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "{{delay}}" } } },
            """;
        var first = delay is null ? "task" : "wait";
        var then = delay is null ? "" : """
            , { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "task", "port": "In" } }
            """;
        var model = JsonNode.Parse($$"""
            {
              "definitionId": "{{id}}", "name": "{{id}}", "version": 1,
              "root": {
                "id": "flow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "version": 1 },
                  {{wait}}
                  { "id": "task", "type": "SafetyWorkflows.RequestApproval", "version": 1,
                    "step": { "typeName": "String", "expression": { "type": "Literal", "value": "复查" } },
                    "assignees": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"linfang\"]" } },
                    "due": { "typeName": "String", "expression": { "type": "Literal", "value": "5WD" } },
                    "remindAtDue": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "false" } },
                    "timeout": { "typeName": "String", "expression": { "type": "Literal", "value": "never" } } }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "{{first}}", "port": "In" } }
                  {{then}}
                ]
              }
            }
            """)!;
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
