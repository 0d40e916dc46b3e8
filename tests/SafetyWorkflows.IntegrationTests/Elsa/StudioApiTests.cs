#pragma warning disable CA1861 // Request bodies written inline read better in a test.
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Elsa;

/// <summary>
/// The calls Elsa Studio 3.8 makes from its lists, editor and instance viewer beyond load and save: list links, bulk
/// actions, instance export/import, one descriptor, the Test tab, call stack, variables and JavaScript type definitions.
/// Routes and bodies as in Elsa.Api.Client 3.8 (IWorkflowDefinitionsApi, IWorkflowInstancesApi, IActivityExecutionsApi,
/// ITestsApi, IJavaScriptApi).
/// </summary>
public sealed class StudioApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private static string Definition(string definitionId) => $$"""
        {
          "id": "{{definitionId}}-v1", "definitionId": "{{definitionId}}", "name": "{{definitionId}}", "version": 1,
          "variables": [ { "id": "count", "name": "Count", "typeName": "Int32", "value": "3", "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
          "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "variables": [ { "id": "local", "name": "Local", "typeName": "String", "value": "here", "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "js", "type": "Elsa.RunJavaScript", "version": 1,
                "script": { "typeName": "String", "expression": { "type": "Literal", "value": "setOutcome('Yes'); return getCount() * 2;" } } },
              { "id": "wait", "type": "Elsa.Event", "version": 1, "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "never-{{definitionId}}" } } }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "js", "port": "In" } },
              { "source": { "activity": "js", "port": "Yes" }, "target": { "activity": "wait", "port": "In" } }
            ] }
        }
        """;

    [Fact]
    public async Task ListRows_CarryLinks_AndBulkPublishRetractExportDelete_Work()
    {
        var admin = await App.ClientForAsync("admin");
        foreach (var id in new[] { "bulk-a", "bulk-b" })
        {
            await SaveAsync(admin, id, publish: false);
        }

        var list = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions?versionOptions=Latest&searchTerm=bulk-");
        var rows = list!["items"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains(r!["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish"));
        Assert.Contains(list["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "bulk-publish");

        var published = await PostAsync(admin, "/elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids", new { definitionIds = new[] { "bulk-a", "bulk-b", "bulk-missing" } });
        Assert.Equal(["bulk-a", "bulk-b"], Strings(published["published"]));
        Assert.Equal(["bulk-missing"], Strings(published["notFound"]));
        var again = await PostAsync(admin, "/elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids", new { definitionIds = new[] { "bulk-a" } });
        Assert.Equal(["bulk-a"], Strings(again["alreadyPublished"]));
        var row = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions?versionOptions=Latest&searchTerm=bulk-a"))!["items"]![0]!;
        Assert.Contains(row["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "unpublish");

        var retracted = await PostAsync(admin, "/elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids", new { definitionIds = new[] { "bulk-a" } });
        Assert.Equal(["bulk-a"], Strings(retracted["retracted"]));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/bulk-a?versionOptions=Published")).StatusCode);

        var versionIds = rows.Select(r => r!["id"]!.GetValue<string>()).ToArray();
        var zip = await admin.PostAsync("/elsa/api/bulk-actions/export/workflow-definitions", Json(new { ids = versionIds, includeConsumingWorkflows = false }));
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
        using (var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync()))
        {
            Assert.Equal(2, archive.Entries.Count);
            using var reader = new StreamReader(archive.Entries[0].Open());
            Assert.StartsWith("bulk-", JsonNode.Parse(await reader.ReadToEndAsync())!["definitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var deleted = await PostAsync(admin, "/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", new { definitionIds = new[] { "bulk-a", "bulk-b" } });
        Assert.Equal(2, deleted["deleted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/bulk-b")).StatusCode);
        var refused = await admin.PostAsync("/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", Json(new { definitionIds = Array.Empty<string>() }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("definitionIds", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_ExportImportBulkCancelAndDelete_CallStackAndVariables()
    {
        var admin = await App.ClientForAsync("admin");
        await SaveAsync(admin, "inst-ops", publish: true);
        var first = await ExecuteAsync(admin, "inst-ops");
        var second = await ExecuteAsync(admin, "inst-ops");

        // Variables: the workflow's and the flowchart's own (Elsa lists only the first kind; the viewer shows both).
        var variables = (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{first}/variables"))!["items"]!.AsArray();
        Assert.Contains(variables, v => v!["name"]!.GetValue<string>() == "Count" && v["value"]!.ToString() == "3");
        Assert.Contains(variables, v => v!["name"]!.GetValue<string>() == "Local" && v["value"]!.ToString() == "here");

        // Call stack of the suspended Event: Workflow → Flowchart → … → wait, outermost first.
        var executions = (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/activity-executions/list?workflowInstanceId={first}"))!["items"]!.AsArray();
        var waitId = executions.Single(e => e!["activityId"]!.GetValue<string>() == "wait")!["id"]!.GetValue<string>();
        var stack = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/activity-executions/{waitId}/call-stack");
        var chain = stack!["items"]!.AsArray().Select(e => e!["activityId"]!.GetValue<string>()).ToList();
        Assert.Equal("wait", chain[^1]);
        Assert.Contains("flow", chain);
        Assert.Equal(chain.Count, stack["totalCount"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/activity-executions/nope/call-stack")).StatusCode);

        // Export one, delete it, import it back: the same state and journal.
        var exported = await admin.GetByteArrayAsync($"/elsa/api/workflow-instances/{first}/export");
        var journalBefore = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{first}/journal");
        Assert.NotNull(JsonNode.Parse(exported)!["WorkflowState"]);
        var deleted = await PostAsync(admin, "/elsa/api/bulk-actions/delete/workflow-instances/by-id", new { ids = new[] { first } });
        Assert.Equal(1, deleted["deleted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/elsa/api/workflow-instances/{first}")).StatusCode);
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(exported);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(part, "files", "instance.json");
        var imported = await (await admin.PostAsync("/elsa/api/bulk-actions/import/workflow-instances", form)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(1, imported!["imported"]!.GetValue<int>());
        var back = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{first}");
        Assert.Equal("Suspended", back!["subStatus"]!.GetValue<string>());
        var journalAfter = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{first}/journal");
        Assert.Equal(journalBefore!["totalCount"]!.GetValue<int>(), journalAfter!["totalCount"]!.GetValue<int>());

        // Bulk export of two is a zip; bulk cancel by ids cancels both.
        var zip = await admin.PostAsync("/elsa/api/bulk-actions/export/workflow-instances", Json(new { ids = new[] { first, second } }));
        using (var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync()))
        {
            Assert.Equal(2, archive.Entries.Count);
        }

        var cancelled = await PostAsync(admin, "/elsa/api/bulk-actions/cancel/workflow-instances", new { ids = new[] { first, second } });
        Assert.Equal(2, cancelled["count"]!.GetValue<int>());
        Assert.Equal("Cancelled", (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{second}"))!["subStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task TestTab_RunsOneActivity_AndAnswersItsOutputAndOutcome_WithoutStoringAnInstance()
    {
        var admin = await App.ClientForAsync("admin");
        var saved = await SaveAsync(admin, "test-tab", publish: false);
        var before = (await PostAsync(admin, "/elsa/api/workflow-instances", new { definitionId = "test-tab" }))["totalCount"]!.GetValue<int>();

        var result = await PostAsync(admin, "/elsa/api/tests/activities", new
        {
            workflowDefinitionHandle = new { definitionVersionId = saved["id"]!.GetValue<string>() },
            activityHandle = new { activityNodeId = "Workflow1:flow:js" },
        });

        Assert.Equal("Completed", result["status"]!.GetValue<string>());
        Assert.Equal("6", (result["outputs"]!["result"] ?? result["outputs"]!["Result"])!.ToString());
        Assert.Contains("Yes", result["payload"]!["Outcomes"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, (await PostAsync(admin, "/elsa/api/workflow-instances", new { definitionId = "test-tab" }))["totalCount"]!.GetValue<int>());
        var missing = await admin.PostAsync("/elsa/api/tests/activities", Json(new { workflowDefinitionHandle = new { definitionVersionId = "nope" }, activityHandle = new { activityNodeId = "x" } }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task OneDescriptor_AndJavaScriptTypeDefinitions_NameOurFunctionsAndTheVariables()
    {
        var admin = await App.ClientForAsync("admin");
        await SaveAsync(admin, "typedefs", publish: false);

        var descriptor = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities/Elsa.RunJavaScript");
        Assert.Equal("Elsa.RunJavaScript", descriptor!["typeName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/descriptors/activities/Nope.Missing")).StatusCode);

        var response = await admin.PostAsync("/elsa/api/scripting/javascript/type-definitions/typedefs",
            Json(new { workflowDefinitionId = "typedefs", activityTypeName = "Elsa.RunJavaScript", propertyName = "Script" }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var expected in new[] { "declare function getInput(", "declare function setVariable(", "declare function getCount(): number", "declare function setLocal(", "Count: number", "declare class DateTime" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Elsa's SingletonStrategy (Elsa.Workflows.Runtime/ActivationValidators/SingletonStrategy.cs: allowed only when no running instance of the definition exists).</summary>
    [Fact]
    public async Task SingletonDefinition_RefusesASecondRunningInstance_UntilTheFirstEnds()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(Definition("singleton"))!.AsObject();
        model["options"] = new JsonObject { ["activationStrategyType"] = "Elsa.Workflows.Runtime.ActivationValidators.SingletonStrategy, Elsa.Workflows.Runtime" };
        var saved = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var first = await ExecuteAsync(admin, "singleton");
        var second = await admin.PostAsync("/elsa/api/workflow-definitions/singleton/execute", Json(new { }));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(first, await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var running = await PostAsync(admin, "/elsa/api/workflow-instances", new { definitionId = "singleton" });
        Assert.Equal(1, running["totalCount"]!.GetValue<int>());

        await PostAsync(admin, $"/elsa/api/cancel/workflow-instances/{first}", new { });
        var third = await ExecuteAsync(admin, "singleton");
        Assert.NotEqual(first, third);
    }

    [Theory]
    [InlineData("CSharp")]
    [InlineData("Python")]
    public async Task CSharpAndPythonExpressions_SaveAsDraft_ButPublishIs400NamingTheActivity(string language)
    {
        var admin = await App.ClientForAsync("admin");
        var id = "expr-" + language.ToLowerInvariant();
        var model = JsonNode.Parse(Definition(id))!.AsObject();
        var wait = model["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "wait")!;
        wait["eventName"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = language, ["value"] = "\"go\"" } };

        var draft = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model.DeepClone(), ["publish"] = false }));
        Assert.True(draft.IsSuccessStatusCode, await draft.Content.ReadAsStringAsync());
        var published = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));

        Assert.Equal(HttpStatusCode.BadRequest, published.StatusCode);
        var problem = await published.Content.ReadAsStringAsync();
        Assert.Contains("wait", problem, StringComparison.Ordinal);
        Assert.Contains(language, problem, StringComparison.Ordinal);
    }

    /// <summary>
    /// ExecuteWorkflow waiting for its child (Elsa.Workflows.Runtime/Activities/ExecuteWorkflow.cs: a child not yet
    /// finished leaves a bookmark on ExecuteWorkflowStimulus(childId); Handlers/ResumeExecuteWorkflowActivity.cs resumes it
    /// with the child's output when the child finishes) and DispatchWorkflow that does not wait (DispatchWorkflow.cs
    /// completes at once when waitForCompletion is false).
    /// </summary>
    [Fact]
    public async Task ExecuteWorkflow_WaitsForTheChildsOutput_AndDispatchWorkflow_StartsAChildWithoutWaiting()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishAsync(admin, """
            { "id": "child-check-v1", "definitionId": "child-check", "name": "child-check", "version": 1,
              "outputs": [ { "type": "String", "name": "Verdict", "displayName": "Verdict", "isArray": false } ],
              "root": { "id": "cflow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "cstart", "type": "Elsa.Start", "version": 1 },
                  { "id": "cwait", "type": "Elsa.Event", "version": 1, "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "site-checked" } } },
                  { "id": "cout", "type": "Elsa.SetOutput", "version": 1,
                    "outputName": { "typeName": "String", "expression": { "type": "Literal", "value": "Verdict" } },
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "'passed for ' + getInput('Site')" } } }
                ],
                "connections": [
                  { "source": { "activity": "cstart", "port": "Done" }, "target": { "activity": "cwait", "port": "In" } },
                  { "source": { "activity": "cwait", "port": "Done" }, "target": { "activity": "cout", "port": "In" } }
                ] } }
            """);
        await PublishAsync(admin, """
            { "id": "parent-check-v1", "definitionId": "parent-check", "name": "parent-check", "version": 1,
              "variables": [ { "id": "verdict", "name": "Verdict", "typeName": "Object", "value": null, "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
              "root": { "id": "pflow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "pstart", "type": "Elsa.Start", "version": 1 },
                  { "id": "pdispatch", "type": "Elsa.DispatchWorkflow", "version": 1,
                    "workflowDefinitionId": { "typeName": "String", "expression": { "type": "Literal", "value": "child-check" } },
                    "input": { "typeName": "Object", "expression": { "type": "Object", "value": "{\"Site\":\"gate\"}" } } },
                  { "id": "pexec", "type": "Elsa.ExecuteWorkflow", "version": 1,
                    "workflowDefinitionId": { "typeName": "String", "expression": { "type": "Literal", "value": "child-check" } },
                    "input": { "typeName": "Object", "expression": { "type": "Object", "value": "{\"Site\":\"kiln\"}" } },
                    "correlationId": { "typeName": "String", "expression": { "type": "Literal", "value": "kiln-check" } },
                    "waitForCompletion": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "True" } },
                    "result": { "typeName": "Object", "memoryReference": { "id": "verdict" } } }
                ],
                "connections": [
                  { "source": { "activity": "pstart", "port": "Done" }, "target": { "activity": "pdispatch", "port": "In" } },
                  { "source": { "activity": "pdispatch", "port": "Done" }, "target": { "activity": "pexec", "port": "In" } }
                ] } }
            """);

        var parent = await ExecuteAsync(admin, "parent-check");
        Assert.Equal("Suspended", (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{parent}"))!["subStatus"]!.GetValue<string>());
        var children = (await PostAsync(admin, "/elsa/api/workflow-instances", new { definitionId = "child-check" }))["items"]!.AsArray();
        Assert.Equal(2, children.Count);
        var executed = children.Single(c => c!["correlationId"]?.GetValue<string>() == "kiln-check")!["id"]!.GetValue<string>();
        Assert.Equal(parent, (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{executed}"))!["parentWorkflowInstanceId"]!.GetValue<string>());

        // The executed child finishes on its event; the parent resumes with the child's output and finishes too.
        await PostAsync(admin, "/elsa/api/events/site-checked/trigger", new { workflowInstanceId = executed });
        var done = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{parent}");
        Assert.Equal("Finished", done!["subStatus"]!.GetValue<string>());
        var verdict = (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{parent}/variables"))!["items"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "Verdict")!;
        Assert.Equal("passed for kiln", verdict["value"]!["Verdict"]!.GetValue<string>());

        // The dispatched child was not waited for: it still waits on its own event.
        var dispatched = children.Single(c => c!["id"]!.GetValue<string>() != executed)!["id"]!.GetValue<string>();
        Assert.Equal("Suspended", (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{dispatched}"))!["subStatus"]!.GetValue<string>());
    }

    /// <summary>
    /// An unknown activity type reaches the Studio as Elsa's NotFoundActivity placeholder (ActivityJsonConverter.cs:
    /// missingTypeName, missingTypeVersion, originalActivityJson; its connections in notFoundConnections), a Studio save
    /// stores the original exactly as imported (with the position the Studio gave it), and publishing is refused naming the node.
    /// </summary>
    [Fact]
    public async Task UnknownActivity_IsAPlaceholderInTheStudio_KeptExactlyInTheDraft_AndPublishIsRefusedNamingIt()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(Definition("unknown-kept"))!.AsObject();
        var activities = model["root"]!["activities"]!.AsArray();
        activities.Add(JsonNode.Parse("""
            { "id": "legacy", "type": "Acme.LegacyStamp", "version": 3, "stampColour": "red", "customProperties": { "keep": 1 },
              "metadata": { "designer": { "position": { "x": 5, "y": 6 } } } }
            """));
        model["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "js", "port": "Yes" }, "target": { "activity": "legacy", "port": "In" } }"""));
        var imported = await admin.PostAsync("/elsa/api/workflow-definitions/import", Json(model.DeepClone()));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var exportedBefore = JsonNode.Parse(await admin.GetStringAsync("/elsa/api/workflow-definitions/unknown-kept/export?versionOptions=Latest"))!;

        var studio = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/unknown-kept?versionOptions=Latest"))!;
        var placeholder = studio["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "legacy")!;
        Assert.Equal("Elsa.NotFoundActivity", placeholder["type"]!.GetValue<string>());
        Assert.Equal("Acme.LegacyStamp", placeholder["missingTypeName"]!.GetValue<string>());
        Assert.Equal(3, placeholder["missingTypeVersion"]!.GetValue<int>());
        Assert.DoesNotContain(studio["root"]!["connections"]!.AsArray(), c => c!["target"]!["activity"]!.GetValue<string>() == "legacy");
        Assert.Single(studio["root"]!["customProperties"]!["notFoundConnections"]!.AsArray());
        var descriptor = await admin.GetAsync("/elsa/api/descriptors/activities/Elsa.NotFoundActivity");
        Assert.Equal(HttpStatusCode.OK, descriptor.StatusCode);

        // The Studio saves what it was given (the node moved); the stored draft is the original with the new position.
        placeholder["metadata"] = JsonNode.Parse("""{ "designer": { "position": { "x": 50, "y": 60 } } }""");
        var saved = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = studio.DeepClone(), ["publish"] = false }));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var exportedAfter = JsonNode.Parse(await admin.GetStringAsync("/elsa/api/workflow-definitions/unknown-kept/export?versionOptions=Latest"))!;
        exportedBefore["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "legacy")!["metadata"] = JsonNode.Parse("""{ "designer": { "position": { "x": 50, "y": 60 } } }""");
        Assert.True(JsonNode.DeepEquals(exportedBefore["root"], exportedAfter["root"]), $"before: {exportedBefore["root"]!.ToJsonString()}\nafter:  {exportedAfter["root"]!.ToJsonString()}");

        var published = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = studio, ["publish"] = true }));
        Assert.Equal(HttpStatusCode.BadRequest, published.StatusCode);
        var problem = await published.Content.ReadAsStringAsync();
        Assert.Contains("legacy", problem, StringComparison.Ordinal);
        Assert.Contains("Acme.LegacyStamp", problem, StringComparison.Ordinal);
    }

    private static async Task PublishAsync(HttpClient admin, string definition)
    {
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(definition), ["publish"] = true }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> SaveAsync(HttpClient admin, string definitionId, bool publish)
    {
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = JsonNode.Parse(Definition(definitionId)), ["publish"] = publish }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!.AsObject();
    }

    private static async Task<string> ExecuteAsync(HttpClient admin, string definitionId)
    {
        var response = await admin.PostAsync($"/elsa/api/workflow-definitions/{definitionId}/execute", Json(new { }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsync(url, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {url}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

    private static StringContent Json(object body) =>
        new(body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
