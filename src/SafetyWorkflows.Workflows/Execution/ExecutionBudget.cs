using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// How much one run (burst) of an instance may do before it is stopped: a flowchart cycle or an <c>Elsa.While</c> whose
/// condition stays true would otherwise run until the process runs out of memory. Bound from <see cref="SectionName"/>.
/// Exceeding a limit faults the instance with an incident naming the limit (see <see cref="BudgetExceededException"/>).
/// </summary>
public sealed class WorkflowBudgetOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Workflows:Budget";

    /// <summary>Activities one run may execute (each start or resume of an activity counts). Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxActivitiesPerBurst { get; set; } = 10_000;

    /// <summary>Wall-clock time one run may take, checked between activities. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxBurstDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Growth of the process's managed heap during one run, in megabytes, checked between activities. Default 512. It is
    /// the whole process's heap, so it is a coarse safety net; the activity count is the precise limit.
    /// </summary>
    [Range(1, 1_048_576)]
    public int MaxMemoryGrowthMb { get; set; } = 512;
}

/// <summary>Which limit of <see cref="WorkflowBudgetOptions"/> a run exceeded.</summary>
public enum BudgetLimit
{
    Activities,
    Duration,
    Memory,
}

/// <summary>A run went over its execution budget; recorded as the incident that faults the instance.</summary>
public sealed class BudgetExceededException(BudgetLimit limit, string message) : Exception(message)
{
    public BudgetLimit Limit { get; } = limit;

    /// <summary>The message as the incident records it: "中文 (English)", naming the limit and its configuration key.</summary>
    public static BudgetExceededException For(BudgetLimit limit, WorkflowBudgetOptions options)
    {
        var activities = options.MaxActivitiesPerBurst.ToString(CultureInfo.InvariantCulture);
        var seconds = options.MaxBurstDuration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var duration = options.MaxBurstDuration.ToString("c", CultureInfo.InvariantCulture);
        var megabytes = options.MaxMemoryGrowthMb.ToString(CultureInfo.InvariantCulture);
        return limit switch
        {
            BudgetLimit.Activities => new(limit,
                $"流程一次运行执行了超过 {activities} 个活动，可能陷入死循环，已停止 " +
                $"(execution budget exceeded: more than {activities} activities in one run, " +
                "Workflows:Budget:MaxActivitiesPerBurst; the workflow may loop forever)"),
            BudgetLimit.Duration => new(limit,
                $"流程一次运行超过 {seconds} 秒，已停止 " +
                $"(execution budget exceeded: one run took longer than {duration}, Workflows:Budget:MaxBurstDuration)"),
            _ => new(limit,
                $"流程一次运行占用内存增长超过 {megabytes} MB，已停止 " +
                $"(execution budget exceeded: memory grew by more than {megabytes} MB in one run, Workflows:Budget:MaxMemoryGrowthMb)"),
        };
    }
}

/// <summary>Reads how much managed memory the process holds (a port so that tests can drive the memory limit).</summary>
public interface IWorkflowMemoryProbe
{
    long CurrentBytes();
}

internal sealed class GcMemoryProbe : IWorkflowMemoryProbe
{
    public long CurrentBytes() => GC.GetTotalMemory(forceFullCollection: false);
}

/// <summary>The meter of one run: counts activities, and checks elapsed time and memory growth against the options.</summary>
internal sealed class BurstMeter(WorkflowBudgetOptions options, IWorkflowMemoryProbe memory)
{
    // Elapsed time is a resource limit, not business time: a Stopwatch, so a test's fake clock cannot freeze it.
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly long _startBytes = memory.CurrentBytes();
    private int _executed;

    /// <summary>Counts the next activity; returns the limit it would break, or null when it may run.</summary>
    public BudgetExceededException? Next()
    {
        _executed++;
        if (_executed > options.MaxActivitiesPerBurst)
        {
            return BudgetExceededException.For(BudgetLimit.Activities, options);
        }

        if (Stopwatch.GetElapsedTime(_startedAt) > options.MaxBurstDuration)
        {
            return BudgetExceededException.For(BudgetLimit.Duration, options);
        }

        // Reading the heap size is cheap but not free: every 16th activity is often enough for a runaway loop.
        if (_executed % 16 == 0 && memory.CurrentBytes() - _startBytes > options.MaxMemoryGrowthMb * 1024L * 1024L)
        {
            return BudgetExceededException.For(BudgetLimit.Memory, options);
        }

        return null;
    }
}
