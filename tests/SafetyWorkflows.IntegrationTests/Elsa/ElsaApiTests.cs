using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Elsa;

/// <summary>The Elsa 3 REST API under /elsa/api, as Elsa Studio and Elsa clients use it.</summary>
public sealed class ElsaApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private static string Definition(string definitionId, string eventName = "Go", string endType = "Elsa.End") => $$"""
        {
          "id": "{{definitionId}}-v1", "definitionId": "{{definitionId}}", "name": "{{definitionId}} name", "version": 1, "toolVersion": "3.8.0.0",
          "variables": [ { "id": "got", "name": "Got", "typeName": "Object", "value": null, "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
          "inputs": [], "outputs": [], "outcomes": [], "customProperties": { "keep": "me" }, "isReadonly": false, "isSystem": false,
          "options": { "autoUpdateConsumingWorkflows": false },
          "root": {
            "id": "Flowchart1", "nodeId": "Workflow1:Flowchart1", "name": "Flowchart1", "type": "Elsa.Flowchart", "version": 1,
            "customProperties": {}, "metadata": {},
            "activities": [
              { "id": "start", "nodeId": "Workflow1:Flowchart1:start", "name": "Start1", "type": "Elsa.Start", "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false }, "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
              { "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "{{eventName}}" } },
                "result": { "typeName": "Object", "memoryReference": { "id": "got" } },
                "id": "wait", "nodeId": "Workflow1:Flowchart1:wait", "name": "Event1", "type": "Elsa.Event", "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false }, "metadata": { "designer": { "position": { "x": 200, "y": 0 } } } },
              { "id": "end", "nodeId": "Workflow1:Flowchart1:end", "name": "End1", "type": "{{endType}}", "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false }, "metadata": { "designer": { "position": { "x": 400, "y": 0 } } } }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" }, "vertices": [] },
              { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "end", "port": "In" }, "vertices": [] }
            ]
          }
        }
        """;

    [Fact]
    public async Task NonAdministrators_Get403_OnReadsAndWrites()
    {
        var clerk = await App.ClientForAsync("zhaomin");

        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(Definition("nope")), ["publish"] = true }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsync("/elsa/api/events/Go/trigger", Json(new JsonObject()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/elsa/api/descriptors/activities")).StatusCode);
    }

    [Fact]
    public async Task SaveDraft_Publish_EditAfterPublish_FollowsElsasVersioning()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(Definition("versioned"))!;

        var created = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model.DeepClone(), ["publish"] = false }));
        var draft = (await created.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!;
        var published = await (await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = draft.DeepClone(), ["publish"] = true })))
            .Content.ReadFromJsonAsync<JsonObject>();
        var edited = draft.DeepClone();
        edited["description"] = "edited after publish";
        edited["isPublished"] = true;
        var secondDraft = await (await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = edited, ["publish"] = false })))
            .Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, draft["version"]!.GetValue<int>());
        Assert.False(draft["isPublished"]!.GetValue<bool>());
        Assert.Contains(draft["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish");
        Assert.Equal("me", draft["customProperties"]!["keep"]!.GetValue<string>());
        Assert.True(published!["workflowDefinition"]!["isPublished"]!.GetValue<bool>());
        Assert.Equal(2, secondDraft!["workflowDefinition"]!["version"]!.GetValue<int>());
        Assert.False(secondDraft["workflowDefinition"]!["isPublished"]!.GetValue<bool>());
        var publishedNow = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/versioned?versionOptions=Published");
        Assert.Equal(1, publishedNow!["version"]!.GetValue<int>());
        var history = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions?versionOptions=AllVersions&definitionIds=versioned&orderBy=Version&orderDirection=Descending");
        Assert.Equal([2, 1], history!["items"]!.AsArray().Select(i => i!["version"]!.GetValue<int>()).ToArray());
        Assert.Equal("bulk-publish", history["links"]![0]!["rel"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishingAnUnrunnableDefinition_Answers400NamingTheActivity_AndKeepsThePublishedVersion()
    {
        var admin = await App.ClientForAsync("admin");
        await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(Definition("guarded")), ["publish"] = true }));

        var broken = JsonNode.Parse(Definition("guarded", endType: "Acme.Missing"))!;
        var draftSaved = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = broken.DeepClone(), ["publish"] = false }));
        var refused = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = broken, ["publish"] = true }));

        Assert.Equal(HttpStatusCode.OK, draftSaved.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "end");
        Assert.Contains("Acme.Missing", problem.GetRawText(), StringComparison.Ordinal);
        var publishedNow = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/guarded?versionOptions=Published");
        Assert.Equal(1, publishedNow!["version"]!.GetValue<int>());
        Assert.Equal("Elsa.End", publishedNow["root"]!["activities"]![2]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_AnswersWithState_ThenAnEventResumesIt_AndTheJournalShowsTheRun()
    {
        var admin = await App.ClientForAsync("admin");
        await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(Definition("executed", "Approved")), ["publish"] = true }));

        var executed = await admin.PostAsync("/elsa/api/workflow-definitions/executed/execute", Json(new JsonObject { ["correlationId"] = "doc-42" }));
        var instanceId = executed.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var state = (await executed.Content.ReadFromJsonAsync<JsonObject>())!["workflowState"]!;
        var triggered = await admin.PostAsync("/elsa/api/events/Approved/trigger", Json(new JsonObject { ["correlationId"] = "doc-42", ["input"] = new JsonObject { ["by"] = "liuhua" } }));
        var instance = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}");
        var journal = await (await admin.PostAsync($"/elsa/api/workflow-instances/{instanceId}/journal?skip=0&take=110",
            Json(new JsonObject { ["filter"] = new JsonObject { ["excludedActivityTypes"] = new JsonArray("Elsa.Workflow", "Elsa.Flowchart") } }))).Content.ReadFromJsonAsync<JsonObject>();
        var variables = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}/variables");
        var report = await (await admin.PostAsync("/elsa/api/activity-executions/report",
            Json(new JsonObject { ["workflowInstanceId"] = instanceId, ["activityNodeIds"] = new JsonArray("Workflow1:Flowchart1:wait") }))).Content.ReadFromJsonAsync<JsonObject>();
        var list = await (await admin.PostAsync("/elsa/api/workflow-instances", Json(new JsonObject { ["correlationId"] = "doc-42" }))).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, executed.StatusCode);
        Assert.Equal("Suspended", state["subStatus"]!.GetValue<string>());
        Assert.Equal("Elsa.Event", state["bookmarks"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, triggered.StatusCode);
        Assert.Equal("Finished", instance!["subStatus"]!.GetValue<string>());
        Assert.Equal(
            ["start:Started", "start:Completed", "wait:Started", "wait:Suspended", "wait:Resumed", "wait:Completed", "end:Started", "end:Completed"],
            journal!["items"]!.AsArray().Select(j => $"{j!["activityId"]}:{j["eventName"]}").ToArray());
        Assert.Equal("liuhua", variables!["items"]![0]!["value"]!["by"]!.GetValue<string>());
        Assert.Equal(1, report!["stats"]![0]!["completedCount"]!.GetValue<int>());
        Assert.Equal(instanceId, list!["items"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(1, list["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Execute_AFaultingWorkflow_Answers500WithTheState()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(Definition("faulting"))!;
        model["root"]!["activities"]![1] = JsonNode.Parse("""
            { "message": { "typeName": "String", "expression": { "type": "Literal", "value": "检查记录缺失" } },
              "id": "wait", "name": "Fault1", "type": "Elsa.Fault", "version": 1 }
            """);
        await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));

        var executed = await admin.PostAsync("/elsa/api/workflow-definitions/faulting/execute", Json(new JsonObject()));

        Assert.Equal(HttpStatusCode.InternalServerError, executed.StatusCode);
        var state = (await executed.Content.ReadFromJsonAsync<JsonObject>())!["workflowState"]!;
        Assert.Equal("Faulted", state["subStatus"]!.GetValue<string>());
        Assert.Equal("检查记录缺失", state["incidents"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunTask_CompletedTwiceAtOnce_OneWins_TheOtherGets409()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(Definition("task-race"))!;
        model["root"]!["activities"]![1] = JsonNode.Parse("""
            { "taskName": { "typeName": "String", "expression": { "type": "Literal", "value": "Approve" } },
              "result": { "typeName": "Object", "memoryReference": { "id": "got" } },
              "id": "wait", "name": "RunTask1", "type": "Elsa.RunTask", "version": 1 }
            """);
        await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));
        var state = (await (await admin.PostAsync("/elsa/api/workflow-definitions/task-race/execute", Json(new JsonObject()))).Content.ReadFromJsonAsync<JsonObject>())!["workflowState"]!;
        var taskId = state["bookmarks"]![0]!["payload"]!["TaskId"]!.GetValue<string>();
        var instanceId = state["id"]!.GetValue<string>();

        var answers = await Task.WhenAll(
            admin.PostAsync($"/elsa/api/tasks/{taskId}/complete", Json(new JsonObject { ["result"] = "A" })),
            admin.PostAsync($"/elsa/api/tasks/{taskId}/complete", Json(new JsonObject { ["result"] = "B" })));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order().ToArray());
        var loser = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("no longer exists", (await ProblemAssert.IsProblemAsync(loser, HttpStatusCode.Conflict)).GetRawText(), StringComparison.Ordinal);
        var instance = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}");
        Assert.Equal("Finished", instance!["subStatus"]!.GetValue<string>());
        var got = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}/variables");
        Assert.Matches("^[AB]$", got!["items"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Export_Delete_Import_GivesBackTheSameDefinition()
    {
        var admin = await App.ClientForAsync("admin");
        await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(Definition("round-trip")), ["publish"] = true }));

        var export = await admin.GetAsync("/elsa/api/workflow-definitions/round-trip/export?versionOptions=Published");
        var file = await export.Content.ReadAsStringAsync();
        var before = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/round-trip?versionOptions=Published");
        var deleted = await admin.DeleteAsync("/elsa/api/workflow-definitions/round-trip");
        var gone = await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/round-trip?versionOptions=Latest");
        var imported = await admin.PostAsync("/elsa/api/workflow-definitions/import", new StringContent(file, Encoding.UTF8, "application/json"));
        var after = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/round-trip?versionOptions=Published");

        Assert.Equal("application/json", export.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("workflow-definition-", export.Content.Headers.ContentDisposition!.FileNameStar ?? export.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        Assert.Equal("https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json", JsonNode.Parse(file)!["$schema"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        before!.Remove("createdAt");
        after!.Remove("createdAt");
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before.ToJsonString()}\nafter:  {after.ToJsonString()}");
    }

    [Fact]
    public async Task Descriptors_ListEveryActivityAndTheListsStudioNeeds()
    {
        var admin = await App.ClientForAsync("admin");

        var activities = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities?Refresh=True");
        var expressions = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/expression-descriptors");
        var drivers = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/storage-drivers");
        var features = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/features/installed");
        var version = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/package/version");

        var types = activities!["items"]!.AsArray().Select(a => a!["typeName"]!.GetValue<string>()).ToList();
        Assert.Contains("Elsa.Flowchart", types);
        Assert.Contains("Elsa.RunTask", types);
        Assert.Equal(activities["count"]!.GetValue<int>(), types.Count);
        Assert.Contains(expressions!["items"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "JavaScript");
        Assert.NotEmpty(drivers!["items"]!.AsArray());
        Assert.Empty(features!["items"]!.AsArray());
        Assert.StartsWith("3.8", version!["packageVersion"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "/elsa/api/workflow-definitions", "{\"model\": ", "body" },
        { "/elsa/api/workflow-definitions", "[1, 2]", "body" },
        { "/elsa/api/workflow-definitions", "{\"publish\": true}", "model" },
        { "/elsa/api/workflow-definitions", "{\"model\": {\"definitionId\": \"x\"}, \"publish\": true}", "definition" },
        { "/elsa/api/workflow-definitions", "{\"model\": {\"definitionId\": \"x\", \"root\": {\"id\": \"r\", \"type\": \"Elsa.WriteLine\"}}, \"publish\": true}", "definition" },
        { "/elsa/api/workflow-definitions/import", "not json", "body" },
        { "/elsa/api/workflow-definitions/import", "{\"id\": \"a\"}", "definition" },
        { "/elsa/api/workflow-instances", "{\"statuses\": [\"Sleeping\"]}", "statuses" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_Answers400Problem_NamingTheField(string path, string body, string field)
    {
        var admin = await App.ClientForAsync("admin");

        var response = await admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task TenMegabyteDefinition_IsRefusedWith400_AndNothingIsStored()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(Definition("huge"))!;
        model["description"] = new string('x', 10 * 1024 * 1024);

        var response = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
        Assert.Contains("at most", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/huge")).StatusCode);
    }

    [Fact]
    public async Task ResumingAGoneBookmark_Answers409()
    {
        var admin = await App.ClientForAsync("admin");

        var response = await admin.PostAsync("/elsa/api/tasks/0123456789abcdef/complete", Json(new JsonObject { ["result"] = 1 }));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
