using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>A plain Elsa definition's RunTask reaches the inbox; tasks notify their assignees through the outbox.</summary>
public sealed class RunTaskInboxTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string ReadAndComment = """
        {
          "id": "read-v1", "definitionId": "leader-reads", "name": "领导阅示", "version": 1,
          "variables": [ { "id": "answer", "name": "Answer", "typeName": "Object", "value": null, "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
          "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "ask", "type": "Elsa.RunTask", "version": 1,
                "taskName": { "typeName": "String", "expression": { "type": "Literal", "value": "ReadAndComment" } },
                "payload": { "typeName": "ObjectDictionary", "expression": { "type": "Object", "value": "{\"assignees\": [\"leader-in-charge\", \"mayor\"], \"step\": \"领导阅示\"}" } },
                "result": { "typeName": "Object", "memoryReference": { "id": "answer" } } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "ask", "port": "In" } },
              { "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ] } }
        """;

    private AppFactory App => fixture.App;

    [Fact]
    public async Task ElsaRunTask_WithAssignees_AppearsInTheInbox_AndTheFirstDecisionCompletesIt()
    {
        var admin = await App.ClientForAsync("admin");
        (await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(ReadAndComment), ["publish"] = true }))).EnsureSuccessStatusCode();
        var executed = await admin.PostAsync("/elsa/api/workflow-definitions/leader-reads/execute", Json(new JsonObject { ["input"] = new JsonObject { ["submittedBy"] = "zhaomin" } }));
        var instanceId = executed.Headers.GetValues("x-elsa-workflow-instance-id").Single();

        var liuhua = await App.ClientForAsync("liuhua");
        var sunli = await App.ClientForAsync("sunli");
        var leaderTask = await OpenTaskAsync(liuhua, instanceId);
        var mayorTask = await OpenTaskAsync(sunli, instanceId);
        Assert.Equal("领导阅示", leaderTask.GetProperty("step").GetString());

        var decided = await liuhua.PostAsJsonAsync($"/api/tasks/{leaderTask.GetProperty("id").GetGuid()}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "已阅，同意" });
        Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());

        var instance = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}");
        Assert.Equal("Finished", instance!["subStatus"]!.GetValue<string>());
        var variables = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}/variables");
        Assert.Equal("已阅，同意", variables!["items"]![0]!["value"]!["opinion"]!.GetValue<string>());
        Assert.Equal("Approved", variables["items"]![0]!["value"]!["outcome"]!.GetValue<string>());
        var mayorAfter = await sunli.GetFromJsonAsync<JsonElement>($"/api/tasks/{mayorTask.GetProperty("id").GetGuid()}");
        Assert.Equal("Cancelled", mayorAfter.GetProperty("task").GetProperty("status").GetString());
    }

    [Fact]
    public async Task EveryNewTask_WritesANotificationForItsAssignee_InTheSameTransaction()
    {
        var before = await App.ScalarAsync("SELECT COUNT(*) FROM Notifications WHERE Recipient = 'wangqiang' AND Kind = 'TaskAssigned'");
        var clerk = await App.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(TestFiles.Pdf("notify"), "n.pdf", TestFiles.LetterMetadata("liutang-village"), "柳塘村责任书（通知测试）"));
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        (await clerk.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();

        Assert.Equal(before + 1, await App.ScalarAsync("SELECT COUNT(*) FROM Notifications WHERE Recipient = 'wangqiang' AND Kind = 'TaskAssigned'"));
        Assert.Equal(1, await App.ScalarAsync($"SELECT COUNT(*) FROM Notifications WHERE Subject LIKE '%柳塘村责任书（通知测试）%' AND Status = 'Pending'"));
    }

    private static async Task<JsonElement> OpenTaskAsync(HttpClient client, string instanceId)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
        var ids = list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        foreach (var id in ids)
        {
            var task = await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}");
            if (task.GetProperty("task").GetProperty("step").GetString() == "领导阅示")
            {
                return task.GetProperty("task");
            }
        }

        throw new InvalidOperationException($"no 领导阅示 task for instance {instanceId}");
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
