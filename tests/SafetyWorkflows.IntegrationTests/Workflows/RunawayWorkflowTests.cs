using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>An app whose execution budget is small (200 activities a run), so that runaway loops stop quickly.</summary>
public sealed class SmallBudgetFixture : IAsyncLifetime
{
    public const int MaxActivities = 200;

    public AppFactory App { get; } = new(settings: new Dictionary<string, string>
    {
        ["Workflows:Budget:MaxActivitiesPerBurst"] = MaxActivities.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync()
    {
        _ = App.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// No runaway workflows (issue 15, finding 2): a flowchart cycle or a While whose condition stays true stops at the
/// execution budget with an incident naming it, whether executed or dispatched; cancel stops a dispatched one; publishing
/// warns about an unconditional cycle.
/// </summary>
public sealed class RunawayWorkflowTests(SmallBudgetFixture fixture) : IClassFixture<SmallBudgetFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task Cycle_Execute_FaultsWithABudgetIncident_WithinTheBudget_AndPublishWarnedAboutIt()
    {
        var admin = await App.ClientForAsync("admin");

        var published = await PublishAsync(admin, Cycle("runaway-cycle", SetVariable("a", "A"), SetVariable("b", "B")));
        var executed = await admin.PostAsync("/elsa/api/workflow-definitions/runaway-cycle/execute", Json(new JsonObject()));

        var warning = Assert.Single(published["warnings"]!.AsArray(), w => w!["kind"]!.GetValue<string>() == "cycle")!;
        Assert.Equal(["a", "b"], warning["activityIds"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray());
        Assert.Contains("无条件循环", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(published["workflowDefinition"]!["isPublished"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.InternalServerError, executed.StatusCode);
        var state = (await executed.Content.ReadFromJsonAsync<JsonObject>())!["workflowState"]!;
        Assert.Equal("Faulted", state["subStatus"]!.GetValue<string>());
        var incident = Assert.Single(state["incidents"]!.AsArray())!;
        Assert.Contains("MaxActivitiesPerBurst", incident["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("200", incident["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStoppedWithinTheBudgetAsync(admin, state["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhileTrue_Dispatch_FaultsInTheBackgroundWithABudgetIncident_AndTellsTheSafetyHead()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishAsync(admin, WhileTrue("runaway-while"));

        var dispatched = await admin.PostAsync("/elsa/api/workflow-definitions/runaway-while/dispatch", Json(new JsonObject()));

        Assert.Equal(HttpStatusCode.OK, dispatched.StatusCode);
        var id = (await dispatched.Content.ReadFromJsonAsync<JsonObject>())!["workflowInstanceId"]!.GetValue<string>();
        var instance = await WaitForAsync(admin, id, i => i["status"]!.GetValue<string>() == "Finished");
        Assert.Equal("Faulted", instance["subStatus"]!.GetValue<string>());
        var incident = Assert.Single(instance["workflowState"]!["incidents"]!.AsArray())!;
        Assert.Contains("MaxActivitiesPerBurst", incident["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStoppedWithinTheBudgetAsync(admin, id);

        // The incident machinery applies: the safety head has a 流程异常 task and /api/incidents lists it as a budget stop.
        var head = await App.ClientForAsync("wangqiang");
        var tasks = await head.GetFromJsonAsync<JsonObject>("/api/tasks?state=open&pageSize=200");
        Assert.Contains(tasks!["items"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "Incident" && t["step"]!.GetValue<string>() == "循环体");
        var listed = await head.GetFromJsonAsync<JsonArray>("/api/incidents");
        Assert.Contains(listed!, i => i!["workflowInstanceId"]!.GetValue<string>() == id && i["kind"]!.GetValue<string>() == "budget");
    }

    [Fact]
    public async Task Cycle_Dispatch_FaultsWithABudgetIncident()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishAsync(admin, Cycle("runaway-cycle-dispatched", SetVariable("a", "A"), SetVariable("b", "B")));

        var dispatched = await admin.PostAsync("/elsa/api/workflow-definitions/runaway-cycle-dispatched/dispatch", Json(new JsonObject()));

        var id = (await dispatched.Content.ReadFromJsonAsync<JsonObject>())!["workflowInstanceId"]!.GetValue<string>();
        var instance = await WaitForAsync(admin, id, i => i["status"]!.GetValue<string>() == "Finished");
        Assert.Equal("Faulted", instance["subStatus"]!.GetValue<string>());
        Assert.Contains("MaxActivitiesPerBurst", instance["workflowState"]!["incidents"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_StopsADispatchedRunaway_BeforeItsBudgetRunsOut()
    {
        var admin = await App.ClientForAsync("admin");

        // Each turn spends 50 ms in a script, so the 200-activity budget would take about five seconds to run out.
        await PublishAsync(admin, Cycle("runaway-slow", BusyScript("a", 50), SetVariable("b", "B")));
        var dispatched = await admin.PostAsync("/elsa/api/workflow-definitions/runaway-slow/dispatch", Json(new JsonObject()));
        var id = (await dispatched.Content.ReadFromJsonAsync<JsonObject>())!["workflowInstanceId"]!.GetValue<string>();
        var runs = App.Services.GetRequiredService<RunningWorkflows>();
        for (var i = 0; i < 500 && !runs.IsRunning(id); i++)
        {
            await Task.Delay(20);
        }

        var cancelled = await admin.PostAsync($"/elsa/api/cancel/workflow-instances/{id}", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(nameof(CancelOutcome.StoppedRunning), (await cancelled.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]!.GetValue<string>());
        var instance = await WaitForAsync(admin, id, i => i["status"]!.GetValue<string>() == "Finished");
        Assert.Equal("Cancelled", instance["subStatus"]!.GetValue<string>());
        Assert.Empty(instance["workflowState"]!["incidents"]!.AsArray());
        var executions = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/activity-executions/list?workflowInstanceId={id}");
        Assert.True(executions!["items"]!.AsArray().Count < SmallBudgetFixture.MaxActivities, "cancel stopped it before the budget did");
        Assert.False(runs.IsRunning(id));
    }

    [Fact]
    public async Task BulkCancel_CancelsSuspendedInstances_AndCountsThem()
    {
        var admin = await App.ClientForAsync("admin");
        await PublishAsync(admin, WaitsForEvent("waits-for-bulk-cancel"));
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var executed = await admin.PostAsync("/elsa/api/workflow-definitions/waits-for-bulk-cancel/execute", Json(new JsonObject()));
            ids.Add(executed.Headers.GetValues("x-elsa-workflow-instance-id").Single());
        }

        var response = await admin.PostAsync("/elsa/api/bulk-actions/cancel/workflow-instances", Json(new JsonObject
        {
            ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode)id), "no-such-instance"]),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<int>());
        foreach (var id in ids)
        {
            Assert.Equal("Cancelled", (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{id}"))!["subStatus"]!.GetValue<string>());
        }

        var again = await admin.PostAsync($"/elsa/api/cancel/workflow-instances/{ids[0]}", null);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Publish_DoesNotWarn_AboutALoopThroughADecisionOrAWait()
    {
        var admin = await App.ClientForAsync("admin");

        var decided = await PublishAsync(admin, DecisionLoop("loop-with-decision"));
        var waiting = await PublishAsync(admin, Cycle("loop-with-wait", SetVariable("a", "A"), Event("b")));

        Assert.DoesNotContain(decided["warnings"]!.AsArray(), w => w!["kind"]!.GetValue<string>() == "cycle");
        Assert.DoesNotContain(waiting["warnings"]!.AsArray(), w => w!["kind"]!.GetValue<string>() == "cycle");
    }

    [Fact]
    public async Task FileImport_ReportsAnUnconditionalCycle_AsAWarning()
    {
        var file = Path.Combine(App.DataDirectory, "runaway-file.json");
        await File.WriteAllTextAsync(file, Cycle("runaway-file", SetVariable("a", "A"), SetVariable("b", "B")).ToJsonString());

        await using var scope = App.Services.CreateAsyncScope();
        var imported = await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>().ImportFileAsync(file, CancellationToken.None);

        Assert.Equal(ImportOutcome.Created, imported.Outcome);
        var cycle = Assert.Single(imported.Cycles);
        Assert.Equal(["a", "b"], cycle.ActivityIds);
    }

    [Fact]
    public async Task ABadBudget_StopsStartUp_NamingTheKey()
    {
        await using var app = new AppFactory(settings: new Dictionary<string, string> { ["Workflows:Budget:MaxActivitiesPerBurst"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => app.Server);

        Assert.Contains("MaxActivitiesPerBurst", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertStoppedWithinTheBudgetAsync(HttpClient admin, string instanceId)
    {
        var executions = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/activity-executions/list?workflowInstanceId={instanceId}");
        var count = executions!["items"]!.AsArray().Count;
        Assert.InRange(count, SmallBudgetFixture.MaxActivities, SmallBudgetFixture.MaxActivities + 1);
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient admin, string instanceId, Func<JsonObject, bool> done)
    {
        // Generous: the run is bounded by the budget; this only waits for the background commit.
        for (var i = 0; i < 200; i++)
        {
            var response = await admin.GetAsync($"/elsa/api/workflow-instances/{instanceId}");
            if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadFromJsonAsync<JsonObject>() is { } instance && done(instance))
            {
                return instance;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"instance {instanceId} did not get there within 10 s");
    }

    private static async Task<JsonObject> PublishAsync(HttpClient admin, JsonObject model)
    {
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The definitions these tests build in code (RoundTripTests reads, writes and reads each of them).</summary>
    internal static IEnumerable<(string Name, JsonObject Definition)> Built() =>
    [
        ("cycle", Cycle("runaway-cycle", SetVariable("a", "A"), SetVariable("b", "B"))),
        ("while-true", WhileTrue("runaway-while")),
        ("busy-cycle", Cycle("runaway-slow", BusyScript("a", 50), SetVariable("b", "B"))),
        ("decision-loop", DecisionLoop("loop-with-decision")),
        ("cycle-with-wait", Cycle("loop-with-wait", SetVariable("a", "A"), Event("b"))),
        ("waits-for-event", WaitsForEvent("waits-for-bulk-cancel")),
    ];

    private static JsonObject Definition(string definitionId, JsonArray activities, JsonArray connections) => new()
    {
        ["id"] = definitionId + "-v1",
        ["definitionId"] = definitionId,
        ["name"] = definitionId,
        ["version"] = 1,
        ["variables"] = new JsonArray(new JsonObject { ["id"] = "v", ["name"] = "V", ["typeName"] = "String", ["value"] = null }),
        ["root"] = new JsonObject
        {
            ["id"] = "flow", ["type"] = "Elsa.Flowchart", ["version"] = 1, ["activities"] = activities, ["connections"] = connections,
        },
    };

    /// <summary>start → a → b → a: nothing on the loop decides or waits.</summary>
    private static JsonObject Cycle(string definitionId, JsonObject a, JsonObject b) => Definition(definitionId,
        [Activity("start", "Elsa.Start"), a, b],
        [Connection("start", "Done", a["id"]!.GetValue<string>()), Connection("a", "Done", "b"), Connection("b", "Done", "a")]);

    /// <summary>start → a → decide (counter &lt; 3): True → a, False → end.</summary>
    private static JsonObject DecisionLoop(string definitionId)
    {
        var decide = Activity("decide", "Elsa.FlowDecision");
        decide["condition"] = new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "False" } };
        return Definition(definitionId,
            [Activity("start", "Elsa.Start"), SetVariable("a", "A"), decide, Activity("end", "Elsa.End")],
            [Connection("start", "Done", "a"), Connection("a", "Done", "decide"), Connection("decide", "True", "a"), Connection("decide", "False", "end")]);
    }

    private static JsonObject WhileTrue(string definitionId)
    {
        var loop = Activity("loop", "Elsa.While");
        loop["name"] = "Loop";
        loop["condition"] = new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "True" } };
        var body = SetVariable("body", "body");
        body["name"] = "循环体";
        loop["body"] = body;
        return Definition(definitionId, [Activity("start", "Elsa.Start"), loop], [Connection("start", "Done", "loop")]);
    }

    private static JsonObject WaitsForEvent(string definitionId) => Definition(definitionId,
        [Activity("start", "Elsa.Start"), Event("wait")], [Connection("start", "Done", "wait")]);

    private static JsonObject SetVariable(string id, string value)
    {
        var activity = Activity(id, "Elsa.SetVariable");
        activity["variable"] = new JsonObject { ["id"] = "v", ["name"] = "V", ["typeName"] = "String", ["isArray"] = false };
        activity["value"] = new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };
        return activity;
    }

    private static JsonObject BusyScript(string id, int milliseconds)
    {
        var activity = Activity(id, "Elsa.RunJavaScript");
        activity["script"] = new JsonObject
        {
            ["typeName"] = "String",
            ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = $"const t = Date.now(); while (Date.now() - t < {milliseconds}) {{ }}" },
        };
        return activity;
    }

    private static JsonObject Event(string id)
    {
        var activity = Activity(id, "Elsa.Event");
        activity["eventName"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "never" } };
        return activity;
    }

    private static JsonObject Activity(string id, string type) => new() { ["id"] = id, ["type"] = type, ["version"] = 1 };

    private static JsonObject Connection(string source, string port, string target) => new()
    {
        ["source"] = new JsonObject { ["activity"] = source, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
    };

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
