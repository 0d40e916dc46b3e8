using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Elsa;

/// <summary>
/// Workflow-as-activity, read against elsa-core at tag 3.8.0-rc2 (src/modules/Elsa.Workflows.Management/Activities/
/// WorkflowDefinitionActivity/; line numbers below are at that tag).
/// The two definitions are Elsa-format files in Workflows/TestDefinitions (the parent's node is written the way Elsa's
/// ActivityWriter + SyntheticPropertiesWriter write a WorkflowDefinitionActivity: workflowDefinitionId,
/// workflowDefinitionVersionId, latestAvailablePublishedVersion(Id), camelCased synthetic inputs and outputs).
/// </summary>
public sealed class WorkflowAsActivityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Workflows", "TestDefinitions");

    private AppFactory App => fixture.App;

    /// <summary>
    /// WorkflowDefinitionActivityProvider.cs:34-35 (definitions with UsableAsActivity = true, VersionOptions.All) and
    /// WorkflowDefinitionActivityDescriptorFactory.cs: line 12 <c>var typeName = definition.Name!.Pascalize();</c>, line 42
    /// <c>Category = definition.Options.ActivityCategory ?? "Workflows"</c>, line 44 <c>IsBrowsable = definition.IsPublished</c>,
    /// lines 15-31 ports = one flow port per outcome with a non-browsable embedded "Root" port inserted first, lines 45-46
    /// and 76-123 inputs and outputs from the definition's inputs/outputs with IsSynthetic = true (line 96, 120), lines
    /// 48-59 customProperties RootType/WorkflowDefinitionId/WorkflowDefinitionVersionId and constructionProperties
    /// WorkflowDefinitionId/WorkflowDefinitionVersionId/Version.
    /// A definition that is not usable as an activity is not listed.
    /// </summary>
    [Fact]
    public async Task PublishedUsableDefinition_IsAnActivityDescriptor_InTheWorkflowsCategory()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishFileAsync(admin, "workflow-as-activity-child.json");

        // The other tests of this class may have published the child again: every version is described, the published
        // one alone is browsable (the toolbox), and the others let nodes pinned to them still be drawn.
        var published = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/inspection-step?versionOptions=Published"))!;
        var versionId = published["id"]!.GetValue<string>();
        var descriptors = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities"))!["items"]!.AsArray();
        var versions = descriptors.Where(d => d!["typeName"]!.GetValue<string>() == "InspectionStep").ToList();
        Assert.Equal(published["version"]!.GetValue<int>(), versions.Count);
        var descriptor = versions.Single(d => d!["isBrowsable"]!.GetValue<bool>())!;
        Assert.Equal(published["version"]!.GetValue<int>(), descriptor["version"]!.GetValue<int>());
        Assert.Equal("Workflows", descriptor["category"]!.GetValue<string>());
        Assert.Equal("Inspection step", descriptor["displayName"]!.GetValue<string>());
        var input = descriptor["inputs"]!.AsArray().Single()!;
        Assert.Equal("Site", input["name"]!.GetValue<string>());
        Assert.Equal("String", input["typeName"]!.GetValue<string>());
        Assert.True(input["isSynthetic"]!.GetValue<bool>());
        Assert.True(input["isWrapped"]!.GetValue<bool>());
        Assert.Equal("Verdict", descriptor["outputs"]!.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Equal(["Root", "Passed", "Failed"], descriptor["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.False(descriptor["ports"]![0]!["isBrowsable"]!.GetValue<bool>());
        Assert.Equal("inspection-step", descriptor["constructionProperties"]!["WorkflowDefinitionId"]!.GetValue<string>());
        Assert.Equal(versionId, descriptor["constructionProperties"]!["WorkflowDefinitionVersionId"]!.GetValue<string>());
        Assert.Equal(descriptor["version"]!.GetValue<int>(), descriptor["constructionProperties"]!["Version"]!.GetValue<int>());
        Assert.Equal(versionId, descriptor["customProperties"]!["WorkflowDefinitionVersionId"]!.GetValue<string>());

        // The Studio's single-descriptor call answers it too, by version; an ordinary definition is no activity.
        var single = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities/InspectionStep?version=1");
        Assert.Equal("InspectionStep", single!["typeName"]!.GetValue<string>());
        Assert.Equal(1, single["version"]!.GetValue<int>());
        Assert.DoesNotContain(descriptors, d => d!["typeName"]!.GetValue<string>() == "InspectionRound");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/descriptors/activities/InspectionRound")).StatusCode);
    }

    /// <summary>
    /// Running the node, WorkflowDefinitionActivity.cs: lines 190-206 GetWorkflowDefinitionAsync (the version named by
    /// WorkflowDefinitionVersionId, else published, else latest); lines 84-85 and 123-143 CopyInputOutputToVariablesAsync
    /// then schedule the child's root (the node's synthetic input "site", line 138, becomes the child's input Site); lines
    /// 104-120 OnChildCompletedAsync (each output of the descriptor is copied to the node's output, here bound to the
    /// variable Verdict, line 116; the activity completes with the CompleteCompositeSignal's outcomes, line 120, which
    /// Elsa.Workflows.Core/Activities/Complete.cs:66 sends: <c>SendSignalAsync(new CompleteCompositeSignal(new Outcomes(outcomes)))</c>), so the parent
    /// waits while the child waits on its event, then follows the child's "Passed" outcome. Publishing the parent works,
    /// and the Studio gets the node as it is (not as a NotFoundActivity placeholder).
    /// </summary>
    [Fact]
    public async Task NodeOfAUsableDefinition_RunsTheChild_WaitsForIt_AndMapsInputsOutputsAndOutcome()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishFileAsync(admin, "workflow-as-activity-child.json");
        await PublishFileAsync(admin, "workflow-as-activity-parent.json");

        var studio = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/inspection-round?versionOptions=Published"))!;
        var node = studio["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "p0a1b2c3d4e5f603")!;
        Assert.Equal("InspectionStep", node["type"]!.GetValue<string>());
        Assert.Equal("inspection-step", node["workflowDefinitionId"]!.GetValue<string>());

        var execute = await admin.PostAsync("/elsa/api/workflow-definitions/inspection-round/execute", Json(new JsonObject()));
        Assert.True(execute.IsSuccessStatusCode, await execute.Content.ReadAsStringAsync());
        var parent = execute.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        Assert.Equal("Suspended", await SubStatusAsync(admin, parent));
        var child = Assert.Single(await ChildrenOfAsync(admin, parent));
        Assert.Equal("Suspended", await SubStatusAsync(admin, child));
        Assert.Equal("none", await VariableAsync(admin, parent, "Route"));

        await PostAsync(admin, "/elsa/api/events/inspection-done/trigger", new JsonObject { ["workflowInstanceId"] = child });

        Assert.Equal("Finished", await SubStatusAsync(admin, child));
        Assert.Equal("Finished", await SubStatusAsync(admin, parent));
        Assert.Equal("checked kiln north", await VariableAsync(admin, parent, "Verdict"));
        Assert.Equal("passed", await VariableAsync(admin, parent, "Route"));
    }

    /// <summary>
    /// The node as a child of a container other than a flowchart (Elsa.Sequence's <c>activities</c>; Elsa reads any
    /// activity JSON the same way wherever it sits, ActivityJsonConverter): the sequence waits for the child, then runs on.
    /// </summary>
    [Fact]
    public async Task NodeInsideASequence_RunsTheChild_AndTheSequenceGoesOnWhenItFinishes()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishFileAsync(admin, "workflow-as-activity-child.json");
        await PublishFileAsync(admin, "workflow-as-activity-in-sequence.json");

        var execute = await admin.PostAsync("/elsa/api/workflow-definitions/inspection-sequence/execute", Json(new JsonObject()));
        Assert.True(execute.IsSuccessStatusCode, await execute.Content.ReadAsStringAsync());
        var parent = execute.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        Assert.Equal("Suspended", await SubStatusAsync(admin, parent));
        var child = Assert.Single(await ChildrenOfAsync(admin, parent));

        await PostAsync(admin, "/elsa/api/events/inspection-done/trigger", new JsonObject { ["workflowInstanceId"] = child });

        Assert.Equal("Finished", await SubStatusAsync(admin, parent));
        Assert.Equal("checked gate", await VariableAsync(admin, parent, "Verdict"));
    }

    /// <summary>
    /// A node naming a definition that does not exist cannot be published (Elsa: WorkflowDefinitionActivity.cs:57-58,
    /// InitializeAsync throws "Could not find workflow definition with ID …" when the graph is built); here a 400 names the node. The
    /// draft is kept exactly, and the Studio gets the node as Elsa reads a type it has no descriptor for: a NotFoundActivity
    /// placeholder (ActivityJsonConverter: missingTypeName, originalActivityJson).
    /// </summary>
    [Fact]
    public async Task NodeNamingAMissingDefinition_IsRefusedAtPublish_NamingTheNode()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "workflow-as-activity-parent.json")))!.AsObject();
        model["id"] = "orphan-round-v1";
        model["definitionId"] = "orphan-round";
        var node = model["root"]!["activities"]![1]!;
        node["workflowDefinitionId"] = "no-such-step";
        node["workflowDefinitionVersionId"] = "no-such-step-v1";

        var published = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model.DeepClone(), ["publish"] = true }));
        Assert.Equal(HttpStatusCode.BadRequest, published.StatusCode);
        var problem = await published.Content.ReadAsStringAsync();
        Assert.Contains("p0a1b2c3d4e5f603", problem, StringComparison.Ordinal);
        Assert.Contains("no-such-step", problem, StringComparison.Ordinal);

        var saved = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = false }));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var studio = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/orphan-round?versionOptions=Latest"))!;
        var placeholder = studio["root"]!["activities"]![1]!;
        Assert.Equal("Elsa.NotFoundActivity", placeholder["type"]!.GetValue<string>());
        Assert.Equal("InspectionStep", placeholder["missingTypeName"]!.GetValue<string>());
        var exported = JsonNode.Parse(await admin.GetStringAsync("/elsa/api/workflow-definitions/orphan-round/export?versionOptions=Latest"))!;
        Assert.True(JsonNode.DeepEquals(model["root"]!["activities"]![1], exported["root"]!["activities"]![1]), exported["root"]!["activities"]![1]!.ToJsonString());
    }

    /// <summary>
    /// Cancelling a parent cancels the children it started, the one it waits for and the one it dispatched without
    /// waiting (Elsa.Workflows.Runtime/Services/WorkflowCancellationService.cs: line 70 CancelWorkflows dispatches the
    /// cancel of each instance not finished, line 77 calls CancelChildWorkflowInstances, lines 83-100, which does the same
    /// for every instance whose ParentWorkflowInstanceIds filter, line 94, matches, whatever its status).
    /// </summary>
    [Fact]
    public async Task CancellingTheParent_CancelsTheChildrenItStarted()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishFileAsync(admin, "workflow-as-activity-child.json");
        await PublishFileAsync(admin, "cancel-cascade-parent.json");
        var execute = await admin.PostAsync("/elsa/api/workflow-definitions/inspection-dispatch/execute", Json(new JsonObject()));
        Assert.True(execute.IsSuccessStatusCode, await execute.Content.ReadAsStringAsync());
        var parent = execute.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var children = await ChildrenOfAsync(admin, parent);
        Assert.Equal(2, children.Count);
        foreach (var child in children)
        {
            Assert.Equal("Suspended", await SubStatusAsync(admin, child));
        }

        await PostAsync(admin, $"/elsa/api/workflow-instances/{parent}/cancel", new JsonObject());

        Assert.Equal("Cancelled", await SubStatusAsync(admin, parent));
        foreach (var child in children)
        {
            Assert.Equal("Cancelled", await SubStatusAsync(admin, child));
        }
    }

    private static async Task<List<string>> ChildrenOfAsync(HttpClient admin, string parent)
    {
        var all = (await PostAsync(admin, "/elsa/api/workflow-instances", new JsonObject { ["definitionId"] = "inspection-step", ["pageSize"] = 100 }))["items"]!.AsArray();
        var ofThisParent = new List<string>();
        foreach (var id in all.Select(c => c!["id"]!.GetValue<string>()))
        {
            var instance = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{id}");
            if (instance!["parentWorkflowInstanceId"]?.GetValue<string>() == parent)
            {
                ofThisParent.Add(id);
            }
        }

        return ofThisParent;
    }

    private static async Task PublishFileAsync(HttpClient admin, string file)
    {
        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, file)))!;
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> SubStatusAsync(HttpClient client, string instanceId) =>
        (await client.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}"))!["subStatus"]!.GetValue<string>();

    private static async Task<string?> VariableAsync(HttpClient client, string instanceId, string name) =>
        (await client.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}/variables"))!["items"]!.AsArray()
            .Single(v => v!["name"]!.GetValue<string>() == name)!["value"]?.GetValue<string>();

    private static async Task<JsonObject> PostAsync(HttpClient client, string url, JsonObject body)
    {
        var response = await client.PostAsync(url, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {url}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
