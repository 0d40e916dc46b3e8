using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.IntegrationTests.Workflows.BadInput;

/// <summary>
/// Bad input for the workflow runtime. Every file in <c>BadInput/Definitions</c> is a small variation of a valid Elsa
/// definition (most of them of a Compatibility suite file) that must be refused when it is read and loaded, with a
/// <see cref="DefinitionException"/> naming the file, the activity at fault and the reason. Every file in
/// <c>BadInput/Faults</c> loads, but fails when it runs: the runner must not throw, the instance ends Finished/Faulted
/// with one incident naming the activity.
/// </summary>
public sealed class MalformedDefinitionTests
{
    private static readonly string DefinitionsFolder = Path.Combine(AppContext.BaseDirectory, "Workflows", "BadInput", "Definitions");
    private static readonly string FaultsFolder = Path.Combine(AppContext.BaseDirectory, "Workflows", "BadInput", "Faults");

    // Activity ids of the base definitions the files are made from.
    private const string HelloFlowchart = "7cf5ecb0bddd65d8";
    private const string HelloWriteLine = "c1323a43e283f207";
    private const string HelloEnd = "e1b41f036f18eabc";
    private const string NestedStart = "5a502b07ad95f5cc";
    private const string NestedInnerWriteLine = "5d32096dc1c579d2";
    private const string NestedOuterEnd = "35047300df551d4d";

    /// <summary>
    /// File → the activity id the error must name (null: the definition itself is at fault) and a fragment of the reason.
    /// bad-20, bad-23 and bad-24 are stricter than Elsa, which silently drops what it cannot read there.
    /// </summary>
    private static readonly Dictionary<string, (string? ActivityId, string Reason)> Expectations = new(StringComparer.Ordinal)
    {
        ["bad-01-not-json.json"] = (null, "not valid JSON"),
        ["bad-02-truncated-json.json"] = (null, "not valid JSON"),
        ["bad-03-json-array.json"] = (null, "must be a JSON object"),
        ["bad-04-json-null.json"] = (null, "must be a JSON object"),
        ["bad-05-empty-file.json"] = (null, "not valid JSON"),
        ["bad-06-nesting-too-deep.json"] = (null, "depth"),
        ["bad-07-missing-definition-id.json"] = (null, "'definitionId' is missing"),
        ["bad-08-blank-definition-id.json"] = (null, "'definitionId' is missing"),
        ["bad-09-missing-root.json"] = (null, "'root' is missing"),
        ["bad-10-root-not-object.json"] = (null, "'root'"),
        ["bad-11-root-not-a-container.json"] = (null, "must be Elsa.Flowchart or Elsa.Sequence, not 'Elsa.WriteLine'"),
        ["bad-12-root-without-type.json"] = (null, "must be Elsa.Flowchart or Elsa.Sequence, not '(none)'"),
        ["bad-13-unknown-activity-type.json"] = (HelloWriteLine, "unknown activity type 'Acme.SendPager'"),
        ["bad-14-not-found-activity.json"] = (HelloWriteLine, "unknown activity type 'Acme.SendPager'"),
        ["bad-15-duplicate-activity-ids.json"] = (HelloWriteLine, "duplicate activity id"),
        ["bad-16-duplicate-id-across-nested-flowchart.json"] = (NestedOuterEnd, "duplicate activity id"),
        ["bad-17-activity-without-id.json"] = (null, "activity of type 'Elsa.WriteLine' has no id"),
        ["bad-18-activity-without-type.json"] = (HelloWriteLine, "has no type"),
        ["bad-19-activities-entry-not-object.json"] = (HelloFlowchart, "an entry of 'activities' is not an object"),
        ["bad-20-activities-not-an-array.json"] = (HelloFlowchart, "'activities'"),
        ["bad-21-connection-missing-target.json"] = (HelloWriteLine, "missing activity '0000deadbeef0000'"),
        ["bad-22-connection-missing-source.json"] = (HelloEnd, "missing activity '0000deadbeef0000'"),
        ["bad-23-connection-not-an-object.json"] = (HelloFlowchart, "'connections'"),
        ["bad-24-connection-into-nested-flowchart.json"] = (NestedStart, $"'{NestedInnerWriteLine}'"),
        ["bad-25-javascript-syntax-error-writeline.json"] = (HelloWriteLine, "input 'text' has a JavaScript syntax error"),
        ["bad-26-javascript-syntax-error-flowswitch-case.json"] = ("defa07911b065d0e", "input 'cases' has a JavaScript syntax error"),
        ["bad-27-liquid-syntax-error.json"] = ("dd6b41a7a833d64a", "input 'text' has a Liquid syntax error"),
        ["bad-28-invalid-backward-connection.json"] = ("524927627b7fcfec", "invalid backward connection 524927627b7fcfec → f8e67852047cd478"),
        ["bad-29-variable-default-not-int.json"] = (null, "variable 'Counter' has a default 'twelve' that is not a Int32"),
        ["bad-30-duplicate-variable-ids.json"] = (null, "variable id 'a1c25a67a980ffc6' is declared twice"),
        ["bad-31-invalid-cron-expression.json"] = ("0d0b9791bc858b66", "cron expression '0 0 24 * * *' is not valid"),
        ["bad-32-nested-flowchart-unknown-type.json"] = (NestedInnerWriteLine, "unknown activity type 'Acme.SendPager'"),
    };

    public static TheoryData<string> MalformedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in ListDefinitionsFolder())
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void Expectations_MatchTheFolder_WhenEveryFileIsCopied()
    {
        var files = ListDefinitionsFolder();

        var withoutExpectation = files.Except(Expectations.Keys, StringComparer.Ordinal).ToList();
        var withoutFile = Expectations.Keys.Except(files, StringComparer.Ordinal).ToList();

        Assert.True(files.Count >= 24, $"only {files.Count} malformed definitions");
        Assert.True(withoutExpectation.Count == 0, $"files without an expectation: {string.Join(", ", withoutExpectation)}");
        Assert.True(withoutFile.Count == 0, $"expectations without a file in the output folder: {string.Join(", ", withoutFile)}");
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task Load_ThrowsDefinitionExceptionNamingFileActivityAndReason_WhenDefinitionIsMalformed(string file)
    {
        Assert.True(Expectations.TryGetValue(file, out var expected), $"{file} has no expectation in the table");
        var text = await File.ReadAllTextAsync(Path.Combine(DefinitionsFolder, file));
        using var harness = new RuntimeHarness();

        var thrown = Record.Exception(() => harness.Loader.Load(DefinitionReader.Parse(text, file), file));

        if (thrown is not DefinitionException exception)
        {
            Assert.Fail($"{file}: expected a DefinitionException, but {(thrown is null ? "the definition was read and loaded" : $"got {thrown.GetType().FullName}: {thrown.Message}")}");
            return;
        }

        var errors = string.Join(" | ", exception.Errors);
        Assert.Equal(file, exception.Source);
        Assert.Contains(file, exception.Message, StringComparison.Ordinal);
        Assert.True(
            exception.Errors.Any(e => e.ActivityId == expected.ActivityId && e.Reason.Contains(expected.Reason, StringComparison.Ordinal)),
            $"{file}: expected an error for activity {expected.ActivityId ?? "(none)"} containing \"{expected.Reason}\"; got: {errors}");
        if (expected.ActivityId is { } activityId)
        {
            Assert.Contains($"activity '{activityId}'", exception.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Decision: a 10 MB definition is not refused by the runtime. It is read, loaded and run like any other (a Literal
    /// text needs no parsing); the size of a definition is capped at the API, per request, not here. The runtime must
    /// not crash on it and must not truncate the text.
    /// </summary>
    [Fact]
    public async Task Load_AcceptsAndRunsDefinition_WhenWriteLineTextIsTenMegabytes()
    {
        const int tenMegabytes = 10 * 1024 * 1024;
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Workflows", "Compatibility", "Definitions", "01-hello-end.json")))!.AsObject();
        definition["definitionId"] = "ten-megabytes";
        var writeLine = definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == HelloWriteLine)!;
        writeLine["text"]!["expression"]!["value"] = new string('x', tenMegabytes);
        var json = definition.ToJsonString();
        using var harness = new RuntimeHarness();

        var workflow = harness.Load(json, "ten-megabytes.json");
        var state = await harness.StartAsync(workflow);

        Assert.True(json.Length > tenMegabytes);
        Assert.Equal(WorkflowStatus.Finished, state.Status);
        Assert.Equal(WorkflowSubStatus.Finished, state.SubStatus);
        Assert.Empty(state.Incidents);
        var line = Assert.Single(harness.Output.Lines);
        Assert.Equal(tenMegabytes, line.Length);
    }

    [Fact]
    public async Task Start_FaultsWithOneIncident_WhenJavaScriptThrows()
    {
        using var harness = new RuntimeHarness();

        var state = await RunFaultAsync(harness, "fault-01-javascript-throws.json");

        AssertFaulted(state, HelloWriteLine, "boom");
        Assert.Empty(harness.Output.Lines);
    }

    /// <summary>The time limit is shortened to 300 ms and the statement limit lifted, so that time is the limit this script breaks.</summary>
    [Fact]
    public async Task Start_FaultsWithTimeLimitIncident_WhenJavaScriptLoopsForever()
    {
        using var harness = new RuntimeHarness(configure: services => services.Configure<JavaScriptOptions>(options =>
        {
            options.TimeLimit = TimeSpan.FromMilliseconds(300);
            options.MaxStatements = int.MaxValue;
        }));

        var state = await RunFaultAsync(harness, "fault-02-javascript-endless-loop.json");

        AssertFaulted(state, HelloWriteLine, "time limit");
        Assert.Contains("300 ms", state.Incidents[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FaultsWithOneIncident_WhenSetVariableNamesAnUnknownVariable()
    {
        using var harness = new RuntimeHarness();

        var state = await RunFaultAsync(harness, "fault-03-setvariable-unknown-variable.json");

        AssertFaulted(state, "f8e67852047cd478", "0badc0de0badc0de");
        Assert.Empty(harness.Output.Lines);
    }

    [Fact]
    public async Task Start_FaultsWithOneIncident_WhenDelayTimeSpanIsNotATime()
    {
        using var harness = new RuntimeHarness();

        var state = await RunFaultAsync(harness, "fault-04-delay-not-a-time.json");

        AssertFaulted(state, "e34b95ee2dc0c33a", "not a time");
        Assert.Empty(state.Bookmarks);
        Assert.Equal(["Cooling down"], harness.Output.Lines);
    }

    [Fact]
    public async Task Start_FaultsWithOneIncident_WhenFaultActivityRuns()
    {
        using var harness = new RuntimeHarness();

        var state = await RunFaultAsync(harness, "fault-05-fault-activity.json");

        AssertFaulted(state, "b6f17113398d4a45", "Sensor calibration expired");
        Assert.Equal(["Checking sensor calibration"], harness.Output.Lines);
    }

    [Fact]
    public async Task Start_FaultsWithOneIncident_WhenCronExpressionIsInvalidAtRunTime()
    {
        using var harness = new RuntimeHarness();

        var state = await RunFaultAsync(harness, "fault-06-cron-expression-invalid-at-run-time.json");

        AssertFaulted(state, "0d0b9791bc858b66", "cron expression '0 0 24 * * *' is not valid");
        Assert.Empty(state.Bookmarks);
    }

    /// <summary>Every file in the copied Definitions folder, whatever its name.</summary>
    private static List<string> ListDefinitionsFolder() =>
        Directory.EnumerateFiles(DefinitionsFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>Loads (which must succeed) and starts; an exception out of the runner fails the test.</summary>
    private static async Task<WorkflowState> RunFaultAsync(RuntimeHarness harness, string file)
    {
        var workflow = harness.Load(await File.ReadAllTextAsync(Path.Combine(FaultsFolder, file)), file);
        return await harness.StartAsync(workflow);
    }

    private static void AssertFaulted(WorkflowState state, string activityId, string messageFragment)
    {
        var incidents = string.Join(" | ", state.Incidents.Select(i => $"{i.ActivityId}: {i.Message}"));
        Assert.True(state.Status == WorkflowStatus.Finished, $"status {state.Status}/{state.SubStatus}; incidents: {incidents}");
        Assert.True(state.SubStatus == WorkflowSubStatus.Faulted, $"sub-status {state.SubStatus}; incidents: {incidents}");
        var incident = Assert.Single(state.Incidents);
        Assert.Equal(activityId, incident.ActivityId);
        Assert.Contains(messageFragment, incident.Message, StringComparison.Ordinal);
    }
}
