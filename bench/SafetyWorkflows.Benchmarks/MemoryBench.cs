using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows.Activities;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Issue 12's memory figure: the app's resident set (RSS) after many completed workflow instances. A one-bookmark
/// workflow (Start → Event "Go" → WriteLine → End) is started and resumed to its end through the real app's
/// <see cref="SafetyWorkflows.Workflows.Hosting.WorkflowHost"/> on SQLite, one at a time; the process's RSS and managed
/// heap are printed along the way and at the end, after a full collection. Target: RSS &lt; 300 MB after 100,000.
/// </summary>
internal static class MemoryBench
{
    public static async Task RunAsync(int instances)
    {
        var mode = Stopwatch.StartNew();
        var output = new WorkflowBench.SilentOutput();
        using var host = new BenchHost(services => services.AddSingleton<IStandardOutput>(output));
        await WorkflowBench.PublishAsync(host, WorkflowBench.EventFlowId, WorkflowBench.EventJson(WorkflowBench.EventFlowId));
        await CycleAsync(host, output);
        Console.WriteLine($"memory: {instances:N0} one-bookmark instances started and resumed to their end through WorkflowHost on SQLite, one at a time;");
        Console.WriteLine($"  the app runs in this process (TestServer), {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {ApprovalBench.LoadAverage()}");
        Console.WriteLine($"  {"after start-up",-28} {Describe()}");
        var step = Math.Max(1, instances / 5);
        var watch = Stopwatch.StartNew();
        for (var i = 1; i <= instances; i++)
        {
            await CycleAsync(host, output);
            if (i % step == 0 || i == instances)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {$"after {i:N0} instances",-28} {Describe()}, {i / watch.Elapsed.TotalSeconds:0} instances/s"));
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var rss = Rss();
        Console.WriteLine($"  {"after a full collection",-28} {Describe()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS after {instances:N0} completed instances: {rss / 1048576.0:0} MB (target < 300 MB after 100,000): {(rss < 300L * 1048576 ? "met" : "NOT met")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory mode took {mode.Elapsed.TotalSeconds:0} s; load average at the end: {ApprovalBench.LoadAverage()}"));
    }

    private static async Task CycleAsync(BenchHost host, WorkflowBench.SilentOutput output) =>
        await WorkflowBench.ResumeAsync(host, await WorkflowBench.StartSuspendedAsync(host), output);

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"RSS {Rss() / 1048576.0:0} MB, managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MB");
}
