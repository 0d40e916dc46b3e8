using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// The clocks: working-day arithmetic, the cost of a task step's reminders and escalations (timer bookmark rows the
/// outbox pump hands to Hangfire when due), and how late Hangfire on the embedded SQLite storage fires a burst of timers.
/// </summary>
internal static class ClockBench
{
    private static string Flow(string id, string activity) => $$"""
        {
          "id": "{{id}}-v1", "definitionId": "{{id}}", "name": "{{id}}", "version": 1,
          "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [ { "id": "start", "type": "Elsa.Start", "version": 1 }, {{activity}} ],
            "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "a", "port": "In" } } ] }
        }
        """;

    private static string Task(bool clocks) => """
        { "id": "a", "type": "SafetyWorkflows.RequestApproval", "version": 1,
          "assignees": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"linfang\"]" } },
          "due": { "typeName": "String", "expression": { "type": "Literal", "value": "5WD" } }
        """ + (clocks ? """
          , "reminders": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"2WD\", \"PT2H\"]" } },
          "escalations": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"1WD: leader-in-charge\", \"3WD: party-secretary, mayor\"]" } }
        """ : "") + "}";

    public static async Task RunAsync(int timers, int steps)
    {
        Console.WriteLine($"clocks: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var calendar = WorkingCalendar.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "seeds", "cn-holidays.json")));
        const int calls = 1_000_000;
        var start = new DateOnly(2026, 1, 1);
        for (var i = 0; i < 10_000; i++)
        {
            calendar.AddWorkingDays(start.AddDays(i % 300), 20);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            calendar.AddWorkingDays(start.AddDays(i % 300), 20);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  AddWorkingDays(20): {watch.Elapsed.TotalNanoseconds / calls:0} ns per call ({calls:N0} calls)"));

        using var host = new BenchHost();
        await PublishAsync(host, "plain-step", Task(clocks: false));
        await PublishAsync(host, "clocked-step", Task(clocks: true));
        await PublishAsync(host, "delay", """{ "id": "a", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:00:03" } } }""");
        await StartManyAsync(host, "plain-step", 20);
        await StartManyAsync(host, "clocked-step", 20);
        var plain = await StartManyAsync(host, "plain-step", steps);
        var clocked = await StartManyAsync(host, "clocked-step", steps);
        Console.WriteLine($"  task step start, no clocks:              {Measure.Describe(plain)}");
        Console.WriteLine($"  task step start, 2 reminders + due + 2 escalations (5 timer rows, no Hangfire call): {Measure.Describe(clocked)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio clocked/plain (p50): {Measure.Percentile(clocked, 50) / Measure.Percentile(plain, 50):0.00}"));

        var burst = Stopwatch.StartNew();
        var ids = new List<string>();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var runtime = scope.ServiceProvider.GetRequiredService<WorkflowHost>();
            for (var i = 0; i < timers; i++)
            {
                ids.Add((await runtime.StartAsync("delay", new StartWorkflowRequest(), null, CancellationToken.None)).State.Id);
            }
        }

        var startedIn = burst.Elapsed.TotalSeconds;
        var lateness = new List<double>();
        while (burst.Elapsed < TimeSpan.FromMinutes(3))
        {
            await using var scope = host.Services.CreateAsyncScope();
            var journal = scope.ServiceProvider.GetRequiredService<IWorkflowJournalStore>();
            var instances = scope.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>();
            lateness.Clear();
            foreach (var id in ids)
            {
                var records = await journal.ListAsync(id, CancellationToken.None);
                var suspended = records.FirstOrDefault(r => r.ActivityId == "a");
                var resumed = records.FirstOrDefault(r => r.ActivityId == "a" && r.EventName == "Resumed");
                if (suspended is not null && resumed is not null)
                {
                    lateness.Add((resumed.Timestamp - suspended.Timestamp - TimeSpan.FromSeconds(3)).TotalMilliseconds);
                }
            }

            if (lateness.Count == ids.Count)
            {
                break;
            }

            await System.Threading.Tasks.Task.Delay(500);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {timers} Delay(3 s) timers started in {startedIn:0.0} s; fired {lateness.Count}/{timers}; lateness after the due time: {Measure.Describe([.. lateness])}"));
        Console.WriteLine("  (the outbox pump hands due timers to batch jobs every Hangfire:PumpInterval, 0.5 s; workers poll the queue every Hangfire:QueuePollInterval, 1 s)");
    }

    private static async Task PublishAsync(BenchHost host, string id, string activity)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>().PublishAsync(id, DefinitionReader.Parse(Flow(id, activity), "bench"), CancellationToken.None);
    }

    private static async Task<double[]> StartManyAsync(BenchHost host, string id, int count) =>
        await Measure.TimesAsync(count, async _ =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(id, new StartWorkflowRequest(), null, CancellationToken.None);
        });

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyWorkflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
