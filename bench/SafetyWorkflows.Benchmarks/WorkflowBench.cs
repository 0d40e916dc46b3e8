using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Expressions;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// The workflow runtime's throughput: a 10-activity flowchart in memory (<see cref="WorkflowRunner"/>) and through the
/// real app's <see cref="WorkflowHost"/> on SQLite, JavaScript against Literal inputs, and a start → resume → complete
/// cycle of a one-bookmark workflow. Runs are sequential (one at a time), so runs/s is 1 / mean latency.
/// </summary>
internal static class WorkflowBench
{
    private const string FlowchartId = "bench-flowchart";
    internal const string EventFlowId = "bench-event";
    private const string ExpectedLine = "ORDER-2 / 250 total 250";

    public static async Task RunAsync(int scale)
    {
        var mode = Stopwatch.StartNew();
        var inMemoryRuns = 3_000 * scale;
        var persistedRuns = 500 * scale;
        var cycles = 300 * scale;

        Console.WriteLine("workflow runtime, sequential runs on one thread (runs/s = completed runs per wall-clock second):");
        Console.WriteLine("  flowchart = Start, 6 SetVariable, FlowDecision, Liquid WriteLine (to a silent output), End: 10 activities;");
        Console.WriteLine("              'JavaScript' = the 6 values and the condition are JavaScript, 'Literal' = the same as Literal values.");
        Console.WriteLine("  in memory = WorkflowRunner.StartAsync in a fresh DI scope, no persistence (state not serialised);");
        Console.WriteLine("  SQLite    = WorkflowHost.StartAsync(definitionId) from a fresh scope of the real app: definition lookup,");
        Console.WriteLine("              run, and one transaction with state, bookmarks, journal and activity records.");
        Console.WriteLine("  p50/p95   = latency of one run; alloc = managed bytes allocated per run (all threads); GC pause = share of");
        Console.WriteLine("              the measured wall time spent in GC pauses. Each figure follows a warm-up until the JIT settles.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Environment.ProcessorCount} cores, .NET {Environment.Version}, scale {scale}"));
        Console.WriteLine();

        var output = new SilentOutput();
        var services = new ServiceCollection();
        services.AddSingleton<IStandardOutput>(output);
        services.AddWorkflowRuntime();
        await using (var provider = services.BuildServiceProvider())
        {
            var loader = provider.GetRequiredService<DefinitionLoader>();
            var javaScript = loader.Load(DefinitionReader.Parse(FlowchartJson(FlowchartId, javaScript: true), "bench-js"));
            var literal = loader.Load(DefinitionReader.Parse(FlowchartJson(FlowchartId, javaScript: false), "bench-literal"));

            Console.WriteLine("flowchart in memory (WorkflowRunner, no persistence):");
            var js = await MeasureAsync("JavaScript", inMemoryRuns, (6, 14), () => RunInMemoryAsync(provider, javaScript, output));
            var lit = await MeasureAsync("Literal", inMemoryRuns, (2, 5), () => RunInMemoryAsync(provider, literal, output));

            Console.WriteLine();
            Console.WriteLine("JavaScript expression cost (the flowchart in memory, JavaScript against Literal):");
            Console.WriteLine($"  ratio JS / Literal (p50)            {Ratio(js.P50, lit.P50)}");
            Console.WriteLine($"  ratio JS / Literal (runs/s, inv.)   {Ratio(lit.RunsPerSecond, js.RunsPerSecond)}");
            var perExpression = ((js.P50 - lit.P50) / 7 * 1000).ToString("0.0", CultureInfo.InvariantCulture);
            Console.WriteLine($"  per JavaScript expression (7/run)   {perExpression} µs (p50 difference / 7)");

            await ExpressionBench.RunAsync(provider.GetServices<IExpressionEvaluator>().Single(e => e.Type == "JavaScript"), scale);

            await RunPersistedAsync(persistedRuns, cycles, js);
        }

        Console.WriteLine();
        Console.WriteLine($"workflows mode took {mode.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
    }

    private static async Task RunPersistedAsync(int persistedRuns, int cycles, Figures inMemory)
    {
        var output = new SilentOutput();
        using var host = new BenchHost(services => services.AddSingleton<IStandardOutput>(output));
        await PublishAsync(host, FlowchartId, FlowchartJson(FlowchartId, javaScript: true));
        await PublishAsync(host, EventFlowId, EventJson(EventFlowId));

        Console.WriteLine();
        Console.WriteLine("flowchart with SQLite persistence (WorkflowHost in the real app):");
        var persisted = await MeasureAsync("JavaScript", persistedRuns, (5, 10), () => RunPersistedAsync(host, output));
        Console.WriteLine($"  ratio SQLite / in memory (p50)      {Ratio(persisted.P50, inMemory.P50)}");
        Console.WriteLine($"  ratio SQLite / in memory (runs/s)   {Ratio(inMemory.RunsPerSecond, persisted.RunsPerSecond)} slower");

        Console.WriteLine();
        Console.WriteLine("one-bookmark cycle: Start → Event \"Go\" → WriteLine → End through WorkflowHost on SQLite (start suspends, ResumeAsync(bookmark) completes):");
        var warmUp = await WarmUpAsync(async () => await ResumeAsync(host, await StartSuspendedAsync(host), output), (3, 6));
        var starts = new double[cycles];
        var resumes = new double[cycles];
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < cycles; i++)
        {
            var watch = Stopwatch.StartNew();
            var bookmarkId = await StartSuspendedAsync(host);
            starts[i] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await ResumeAsync(host, bookmarkId, output);
            resumes[i] = watch.Elapsed.TotalMilliseconds;
        }

        var seconds = total.Elapsed.TotalSeconds;
        var perCycle = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)cycles;
        Console.WriteLine($"  full cycles                         {Rate(cycles / seconds)} cycles/s over {cycles}, alloc {Kb(perCycle)}/cycle, {warmUp}");
        Console.WriteLine($"  start (to suspended)                {Measure.Describe(starts)}");
        Console.WriteLine($"  resume (to finished)                {Measure.Describe(resumes)}");
    }

    private static async Task<Figures> MeasureAsync(string label, int count, (double Min, double Cap) warmUpSeconds, Func<Task> run)
    {
        var warmUp = await WarmUpAsync(run, warmUpSeconds);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pause = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        var times = await Measure.TimesAsync(count, _ => run());
        var elapsed = watch.Elapsed;
        var perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count;
        var figures = new Figures(times, count / elapsed.TotalSeconds);
        Console.WriteLine($"  {label,-12} {Rate(figures.RunsPerSecond)} runs/s, {Measure.Describe(times)}");
        Console.WriteLine($"  {"",-12} alloc {Kb(perRun)}/run, GC pause {Percent((GC.GetTotalPauseDuration() - pause) / elapsed)} of the time, {warmUp}");
        return figures;
    }

    /// <summary>
    /// Runs batches (at least 0.4 s and 20 runs each) for at least <c>Min</c> seconds and then until the JIT has settled
    /// (four batches in a row without a median 3% better than the best so far), or <c>Cap</c> seconds. Tiering Jint's
    /// code up takes several seconds on 2 cores: stopping earlier measures half-jitted code.
    /// </summary>
    private static async Task<string> WarmUpAsync(Func<Task> run, (double Min, double Cap) seconds)
    {
        var total = Stopwatch.StartNew();
        var best = double.MaxValue;
        var calm = 0;
        var runs = 0;
        while ((calm < 4 || total.Elapsed.TotalSeconds < seconds.Min) && total.Elapsed.TotalSeconds < seconds.Cap)
        {
            var times = new List<double>();
            var batch = Stopwatch.StartNew();
            while (times.Count < 20 || batch.Elapsed < TimeSpan.FromSeconds(0.4))
            {
                var watch = Stopwatch.StartNew();
                await run();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            runs += times.Count;
            var median = Measure.Percentile([.. times], 50);
            if (median < best * 0.97)
            {
                calm = 0;
            }
            else
            {
                calm++;
            }

            best = Math.Min(best, median);
        }

        var took = total.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return calm < 4 ? $"warm-up {took} s / {runs} runs (cap reached, not settled)" : $"warm-up {took} s / {runs} runs";
    }

    private static async Task RunInMemoryAsync(IServiceProvider provider, Workflow workflow, SilentOutput output)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().StartAsync(workflow, new StartWorkflowRequest(), CancellationToken.None);
        Check(result, output);
    }

    private static async Task RunPersistedAsync(BenchHost host, SilentOutput output)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(FlowchartId, new StartWorkflowRequest(), null, CancellationToken.None);
        Check(result, output);
    }

    internal static async Task<string> StartSuspendedAsync(BenchHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(EventFlowId, new StartWorkflowRequest(), null, CancellationToken.None);
        if (result.State.SubStatus != WorkflowSubStatus.Suspended || result.State.Bookmarks.Count != 1)
        {
            throw new InvalidOperationException($"the event workflow did not suspend on one bookmark: {result.State.SubStatus}, {result.State.Bookmarks.Count} bookmarks");
        }

        return result.State.Bookmarks[0].Id;
    }

    internal static async Task ResumeAsync(BenchHost host, string bookmarkId, SilentOutput output)
    {
        output.Last = null;
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().ResumeAsync(bookmarkId, null, CancellationToken.None);
        if (result.State.SubStatus != WorkflowSubStatus.Finished || output.Last != "Go received")
        {
            throw new InvalidOperationException($"the event workflow did not finish after its resume: {result.State.SubStatus}, output '{output.Last}'");
        }
    }

    private static void Check(RunResult result, SilentOutput output)
    {
        if (result.State.SubStatus != WorkflowSubStatus.Finished || result.State.Incidents.Count > 0 || output.Last != ExpectedLine)
        {
            throw new InvalidOperationException(
                $"the bench flowchart did not run as expected: {result.State.SubStatus}, {result.State.Incidents.Count} incidents, output '{output.Last}'");
        }

        output.Last = null;
    }

    internal static async Task PublishAsync(BenchHost host, string definitionId, string json)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>()
            .PublishAsync(definitionId, DefinitionReader.Parse(json, definitionId), CancellationToken.None);
    }

    private static string Rate(double value) => value.ToString("#,##0.0", CultureInfo.InvariantCulture);

    private static string Kb(double bytes) => (bytes / 1024).ToString("#,##0.0", CultureInfo.InvariantCulture) + " KB";

    private static string Percent(double fraction) => fraction.ToString("0%", CultureInfo.InvariantCulture);

    private static string Ratio(double numerator, double denominator) => (numerator / denominator).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>An input expression: JavaScript, or the Literal value the script evaluates to.</summary>
    private static string Expression(bool javaScript, string script, string literal) =>
        javaScript
            ? $"\"type\": \"JavaScript\", \"value\": {JsonSerializer.Serialize(script)}"
            : $"\"type\": \"Literal\", \"value\": {JsonSerializer.Serialize(literal)}";

    /// <summary>
    /// Start → Count → Total → Label → Total → Flag → Label → FlowDecision (True → WriteLine → End, False → End).
    /// Both variants write <see cref="ExpectedLine"/>.
    /// </summary>
    private static string FlowchartJson(string definitionId, bool javaScript) => $$$"""
        {
          "id": "{{{(javaScript ? "b3c1a0e5d2f40001" : "b3c1a0e5d2f40002")}}}",
          "definitionId": "{{{definitionId}}}",
          "name": "Bench flowchart ({{{(javaScript ? "JavaScript" : "Literal")}}})",
          "version": 1,
          "toolVersion": "3.8.0.0",
          "variables": [
            { "id": "c0a1000000000001", "name": "Count", "typeName": "Int32", "isArray": false, "value": "0", "storageDriverTypeName": "WorkflowInstanceStorageDriver" },
            { "id": "c0a1000000000002", "name": "Total", "typeName": "Int32", "isArray": false, "value": "0", "storageDriverTypeName": "WorkflowInstanceStorageDriver" },
            { "id": "c0a1000000000003", "name": "Label", "typeName": "String", "isArray": false, "value": "", "storageDriverTypeName": "WorkflowInstanceStorageDriver" },
            { "id": "c0a1000000000004", "name": "Flag", "typeName": "Boolean", "isArray": false, "value": "False", "storageDriverTypeName": "WorkflowInstanceStorageDriver" }
          ],
          "inputs": [],
          "outputs": [],
          "outcomes": [],
          "customProperties": {},
          "isLatest": true,
          "isPublished": true,
          "options": { "autoUpdateConsumingWorkflows": false },
          "root": {
            "id": "f000000000000000",
            "nodeId": "Workflow1:f000000000000000",
            "name": "Flowchart1",
            "type": "Elsa.Flowchart",
            "version": 1,
            "customProperties": { "notFoundConnections": [], "canStartWorkflow": false, "runAsynchronously": false },
            "metadata": {},
            "activities": [
              { "id": "a000000000000001", "nodeId": "Workflow1:f000000000000000:a000000000000001", "name": "Start1", "type": "Elsa.Start", "version": 1 },
              {
                "variable": { "id": "c0a1000000000001", "name": "Count", "typeName": "Int32", "isArray": false },
                "value": { "typeName": "Object", "expression": { {{{Expression(javaScript, "getCount() + 2", "2")}}} } },
                "id": "a000000000000002", "nodeId": "Workflow1:f000000000000000:a000000000000002", "name": "SetVariable1", "type": "Elsa.SetVariable", "version": 1
              },
              {
                "variable": { "id": "c0a1000000000002", "name": "Total", "typeName": "Int32", "isArray": false },
                "value": { "typeName": "Object", "expression": { {{{Expression(javaScript, "getCount() * 100", "200")}}} } },
                "id": "a000000000000003", "nodeId": "Workflow1:f000000000000000:a000000000000003", "name": "SetVariable2", "type": "Elsa.SetVariable", "version": 1
              },
              {
                "variable": { "id": "c0a1000000000003", "name": "Label", "typeName": "String", "isArray": false },
                "value": { "typeName": "Object", "expression": { {{{Expression(javaScript, "'order-' + getCount()", "order-2")}}} } },
                "id": "a000000000000004", "nodeId": "Workflow1:f000000000000000:a000000000000004", "name": "SetVariable3", "type": "Elsa.SetVariable", "version": 1
              },
              {
                "variable": { "id": "c0a1000000000002", "name": "Total", "typeName": "Int32", "isArray": false },
                "value": { "typeName": "Object", "expression": { {{{Expression(javaScript, "getTotal() + 50", "250")}}} } },
                "id": "a000000000000005", "nodeId": "Workflow1:f000000000000000:a000000000000005", "name": "SetVariable4", "type": "Elsa.SetVariable", "version": 1
              },
              {
                "variable": { "id": "c0a1000000000004", "name": "Flag", "typeName": "Boolean", "isArray": false },
                "value": { "typeName": "Object", "expression": { {{{Expression(javaScript, "getTotal() > 100", "true")}}} } },
                "id": "a000000000000006", "nodeId": "Workflow1:f000000000000000:a000000000000006", "name": "SetVariable5", "type": "Elsa.SetVariable", "version": 1
              },
              {
                "variable": { "id": "c0a1000000000003", "name": "Label", "typeName": "String", "isArray": false },
                "value": { "typeName": "Object", "expression": { {{{Expression(javaScript, "getLabel().toUpperCase() + ' / ' + variables.Total", "ORDER-2 / 250")}}} } },
                "id": "a000000000000007", "nodeId": "Workflow1:f000000000000000:a000000000000007", "name": "SetVariable6", "type": "Elsa.SetVariable", "version": 1
              },
              {
                "condition": { "typeName": "Boolean", "expression": { {{{Expression(javaScript, "getFlag() && getCount() === 2", "true")}}} } },
                "id": "a000000000000008", "nodeId": "Workflow1:f000000000000000:a000000000000008", "name": "FlowDecision1", "type": "Elsa.FlowDecision", "version": 1
              },
              {
                "text": { "typeName": "String", "expression": { "type": "Liquid", "value": "{{ Variables.Label }} total {{ Variables.Total }}" } },
                "id": "a000000000000009", "nodeId": "Workflow1:f000000000000000:a000000000000009", "name": "WriteLine1", "type": "Elsa.WriteLine", "version": 1
              },
              { "id": "a00000000000000a", "nodeId": "Workflow1:f000000000000000:a00000000000000a", "name": "End1", "type": "Elsa.End", "version": 1 }
            ],
            "variables": [],
            "connections": [
              { "source": { "activity": "a000000000000001", "port": "Done" }, "target": { "activity": "a000000000000002", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000002", "port": "Done" }, "target": { "activity": "a000000000000003", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000003", "port": "Done" }, "target": { "activity": "a000000000000004", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000004", "port": "Done" }, "target": { "activity": "a000000000000005", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000005", "port": "Done" }, "target": { "activity": "a000000000000006", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000006", "port": "Done" }, "target": { "activity": "a000000000000007", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000007", "port": "Done" }, "target": { "activity": "a000000000000008", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000008", "port": "True" }, "target": { "activity": "a000000000000009", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000008", "port": "False" }, "target": { "activity": "a00000000000000a", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a000000000000009", "port": "Done" }, "target": { "activity": "a00000000000000a", "port": "In" }, "vertices": [] }
            ]
          }
        }
        """;

    /// <summary>Start → Event "Go" → WriteLine "Go received" → End.</summary>
    internal static string EventJson(string definitionId) => $$"""
        {
          "id": "b3c1a0e5d2f40003",
          "definitionId": "{{definitionId}}",
          "name": "Bench event resume",
          "version": 1,
          "toolVersion": "3.8.0.0",
          "variables": [],
          "isLatest": true,
          "isPublished": true,
          "root": {
            "id": "f100000000000000",
            "nodeId": "Workflow1:f100000000000000",
            "name": "Flowchart1",
            "type": "Elsa.Flowchart",
            "version": 1,
            "activities": [
              { "id": "e000000000000001", "nodeId": "Workflow1:f100000000000000:e000000000000001", "name": "Start1", "type": "Elsa.Start", "version": 1 },
              {
                "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "Go" } },
                "id": "e000000000000002", "nodeId": "Workflow1:f100000000000000:e000000000000002", "name": "Event1", "type": "Elsa.Event", "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false }
              },
              {
                "text": { "typeName": "String", "expression": { "type": "Literal", "value": "Go received" } },
                "id": "e000000000000003", "nodeId": "Workflow1:f100000000000000:e000000000000003", "name": "WriteLine1", "type": "Elsa.WriteLine", "version": 1
              },
              { "id": "e000000000000004", "nodeId": "Workflow1:f100000000000000:e000000000000004", "name": "End1", "type": "Elsa.End", "version": 1 }
            ],
            "variables": [],
            "connections": [
              { "source": { "activity": "e000000000000001", "port": "Done" }, "target": { "activity": "e000000000000002", "port": "In" }, "vertices": [] },
              { "source": { "activity": "e000000000000002", "port": "Done" }, "target": { "activity": "e000000000000003", "port": "In" }, "vertices": [] },
              { "source": { "activity": "e000000000000003", "port": "Done" }, "target": { "activity": "e000000000000004", "port": "In" }, "vertices": [] }
            ]
          }
        }
        """;

    private sealed record Figures(double[] Times, double RunsPerSecond)
    {
        public double P50 => Measure.Percentile(Times, 50);
    }

    /// <summary>Where the bench's WriteLine goes: nowhere, but the last line is kept to check each run.</summary>
    internal sealed class SilentOutput : IStandardOutput
    {
        public string? Last { get; set; }

        public void WriteLine(string? text) => Last = text;
    }
}
