using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.IntegrationTests.Workflows.Compatibility;

/// <summary>
/// Elsa 3 definitions (in Elsa's own JSON, as Studio saves and Elsa exports them) with a spec each: steps to apply and
/// the status, variables, outputs, standard output, bookmarks, incidents and journal Elsa 3.8 would end with.
/// </summary>
public sealed class CompatibilitySuiteTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Workflows", "Compatibility", "Definitions");

    public static TheoryData<string> Specs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.test.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static TheoryData<string> DefinitionFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Where(f => !f.EndsWith(".test.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void Suite_HasAtLeastThirtyDefinitions() => Assert.True(DefinitionFiles().Count >= 30, $"only {DefinitionFiles().Count} definitions");

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task Definition_RunsAsElsaWould(string specFile)
    {
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, specFile)))!.AsObject();
        var start = spec["startClock"] is { } clock ? DateTimeOffset.Parse(clock.GetValue<string>(), CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        using var harness = new RuntimeHarness(start);
        var definitionFile = spec["definition"]!.GetValue<string>();
        var workflow = harness.Load(await File.ReadAllTextAsync(Path.Combine(Folder, definitionFile)), definitionFile);

        var request = new StartWorkflowRequest { CorrelationId = spec["correlationId"]?.GetValue<string>(), Input = spec["input"]?.DeepClone() as JsonObject };
        if (spec["trigger"] is JsonObject trigger)
        {
            var input = request.Input ?? [];
            input[Event.PayloadInputKey] = trigger["payload"]?.DeepClone() ?? new JsonObject();
            request = request with { TriggerActivityId = trigger["activityId"]!.GetValue<string>(), Input = input };
        }

        var state = await harness.StartAsync(workflow, request);
        foreach (var step in spec["steps"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            state = await ApplyAsync(harness, workflow, state, step);
        }

        var expect = spec["expect"]!.AsObject();
        var context = $"{specFile}: {spec["covers"]}";
        Assert.True(expect["status"]!.GetValue<string>() == state.Status.ToString(), $"{context}\nstatus {state.Status}/{state.SubStatus}, incidents: {string.Join("; ", state.Incidents.Select(i => i.ActivityId + ": " + i.Message))}");
        Assert.True(expect["subStatus"]!.GetValue<string>() == state.SubStatus.ToString(), $"{context}\nsub-status {state.SubStatus}, incidents: {string.Join("; ", state.Incidents.Select(i => i.ActivityId + ": " + i.Message))}");
        var journal = harness.Journal.Where(r => r.ActivityType is not ("Elsa.Workflow" or "Elsa.Flowchart")).Select(r => $"{r.ActivityId}:{r.EventName}").ToList();
        Assert.True(expect["journal"]!.AsArray().Select(j => j!.GetValue<string>()).SequenceEqual(journal),
            $"{context}\nexpected journal: {string.Join(", ", expect["journal"]!.AsArray())}\nactual journal:   {string.Join(", ", journal)}");
        if (expect["stdout"] is JsonArray stdout)
        {
            Assert.Equal(stdout.Select(l => l!.GetValue<string>()).ToList(), harness.Output.Lines);
        }

        if (expect["variables"] is JsonObject variables)
        {
            var actual = RuntimeHarness.Variables(workflow, state);
            foreach (var (variableName, value) in variables)
            {
                Assert.True(actual.ContainsKey(variableName), $"{context}: no variable {variableName}");
                AssertJsonEqual(value, actual[variableName], $"{context}: variable {variableName}");
            }
        }

        if (expect["output"] is JsonObject output)
        {
            foreach (var (outputName, value) in output)
            {
                AssertJsonEqual(value, state.Output[outputName], $"{context}: output {outputName}");
            }
        }

        if (expect["bookmarks"] is JsonArray bookmarks)
        {
            Assert.Equal(bookmarks.Select(b => b!.GetValue<string>()).Order(StringComparer.Ordinal), state.Bookmarks.Select(b => b.Name).Order(StringComparer.Ordinal));
        }

        if (expect["incidents"] is { } incidents)
        {
            Assert.Equal(incidents.GetValue<int>(), state.Incidents.Count);
        }

        if (expect["correlationId"] is { } correlationId)
        {
            Assert.Equal(correlationId.GetValue<string>(), state.CorrelationId);
        }

        if (expect["name"] is { } name)
        {
            Assert.Equal(name.GetValue<string>(), state.Name);
        }
    }

    [Theory]
    [MemberData(nameof(DefinitionFiles))]
    public async Task Definition_RoundTripsToEquivalentJson(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Folder, file));
        var original = JsonNode.Parse(text)!.AsObject();

        var written = DefinitionWriter.Write(DefinitionReader.Parse(text, file), includeSchema: original.ContainsKey("$schema"));
        var rewritten = DefinitionWriter.Write(DefinitionReader.Parse(written.ToJsonString(), file), includeSchema: original.ContainsKey("$schema"));

        Assert.True(JsonNode.DeepEquals(written, rewritten), $"{file}: writing is not stable");
        Assert.True(JsonNode.DeepEquals(Normalise(original), Normalise(written)),
            $"{file}: the written JSON differs from the file beyond Elsa's normalisations\nORIG {Normalise(original)!.ToJsonString()}\nNEW  {Normalise(written)!.ToJsonString()}");
    }

    private static async Task<WorkflowState> ApplyAsync(RuntimeHarness harness, Workflow workflow, WorkflowState state, JsonObject step)
    {
        if (step["resumeEvent"] is { } eventName)
        {
            var name = eventName.GetValue<string>();
            foreach (var bookmark in state.Bookmarks.Where(b => b.Name == StimulusNames.Event && b.Payload?["EventName"]?.GetValue<string>() == name).ToList())
            {
                if (state.Bookmarks.Any(b => b.Id == bookmark.Id))
                {
                    state = await harness.ResumeAsync(workflow, state, bookmark, new JsonObject { [Event.PayloadInputKey] = step["payload"]?.DeepClone() ?? new JsonObject() });
                }
            }

            return state;
        }

        if (step["completeTask"] is { } taskName)
        {
            var bookmark = state.Bookmarks.First(b => b.Name == StimulusNames.RunTask && b.Metadata?["taskName"]?.GetValue<string>() == taskName.GetValue<string>());
            return await harness.ResumeAsync(workflow, state, bookmark, new JsonObject { [RunTask.ResultInputKey] = step["result"]?.DeepClone() });
        }

        if (step["advanceClock"] is { } advance)
        {
            harness.Clock.Advance(TimeSpan.Parse(advance.GetValue<string>(), CultureInfo.InvariantCulture));
            return await harness.FireDueTimersAsync(workflow, state);
        }

        if (step["cancel"] is not null)
        {
            return await harness.CancelAsync(workflow, state);
        }

        throw new InvalidOperationException($"unknown step {step.ToJsonString()}");
    }

    /// <summary>What Elsa's writer changes and "equivalent" forgives: key case, nodeIds recomputed, defaults added,
    /// string booleans and legacy type names read as their 3.8 forms.</summary>
    private static JsonNode? Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
                {
                    var lower = char.ToLowerInvariant(key[0]) + key[1..];
                    if (lower is "nodeId" or "$schema" or "createdAt" or "customProperties" or "metadata" or "vertices" or "typeName" or "storageDriverTypeName" or "incidentStrategyType")
                    {
                        continue;
                    }

                    result[lower] = Normalise(value);
                }

                return result;
            case JsonArray array:
                return new JsonArray(array.Select(Normalise).ToArray());
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "True" or "False" or "true" or "false":
                return JsonValue.Create(bool.Parse(value.GetValue<string>()));
            default:
                return node?.DeepClone();
        }
    }

    private static void AssertJsonEqual(JsonNode? expected, JsonNode? actual, string because)
    {
        var e = Values.FromJson(expected);
        var a = Values.FromJson(actual);
        var equal = (e, a) switch
        {
            (long x, double y) => x == y,
            (double x, long y) => x == y,
            (JsonNode x, JsonNode y) => JsonNode.DeepEquals(x, y),
            _ => Equals(e, a),
        };
        Assert.True(equal, $"{because}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
    }
}
