using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// The race's reference: the same two-step approval chain on Workflow Core 3.22, in-process on its in-memory persistence.
/// An order starts (the "upload + submit"), a step creates the first approval task (its due date and reminder time kept
/// as data: Workflow Core arms no timer for them) and waits for the official's decision, an external event the driver
/// publishes once the task exists; the same for the second step; the workflow then completes.
/// </summary>
internal sealed class WorkflowCoreRace : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IWorkflowHost _host;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _completed = new(StringComparer.Ordinal);

    private WorkflowCoreRace(ServiceProvider provider, IWorkflowHost host)
    {
        _provider = provider;
        _host = host;
    }

    /// <summary>Step 1 or 2 of an order has its task: the driver may publish that step's decision.</summary>
    internal static ConcurrentDictionary<(string Order, int Step), TaskCompletionSource> TaskCreated { get; } = new();

    public static async Task<WorkflowCoreRace> StartAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflow(); // in-memory persistence, single-node queue and locks: Workflow Core's defaults
        var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<RaceWorkflow, RaceOrder>();
        var race = new WorkflowCoreRace(provider, host);
        host.OnLifeCycleEvent += race.OnLifeCycle;
        await host.StartAsync(CancellationToken.None);
        return race;
    }

    private void OnLifeCycle(LifeCycleEvent evt)
    {
        if (evt is WorkflowCompleted && evt.Reference is { } reference && _completed.TryGetValue(reference, out var done))
        {
            done.TrySetResult();
        }
    }

    /// <summary>One order from start to completion; the two decision latencies (publish → next task or completion) go to <paramref name="decisions"/>.</summary>
    public async Task RunOrderAsync(int index, ConcurrentBag<double> decisions)
    {
        var order = "wc-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        var step1 = TaskCreated[(order, 1)] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var step2 = TaskCreated[(order, 2)] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = _completed[order] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _host.StartWorkflow("race-chain", 1, new RaceOrder { OrderId = order, Grade = "一般", SubmittedBy = "wujie" }, order);
            await WaitAsync(step1.Task, order, "the first task");
            var watch = Stopwatch.StartNew();
            await _host.PublishEvent("approval-1", order, "Approved:wangqiang");
            await WaitAsync(step2.Task, order, "the second task");
            decisions.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await _host.PublishEvent("approval-2", order, "Approved:liuhua");
            await WaitAsync(done.Task, order, "completion");
            decisions.Add(watch.Elapsed.TotalMilliseconds);
        }
        finally
        {
            TaskCreated.TryRemove((order, 1), out _);
            TaskCreated.TryRemove((order, 2), out _);
            _completed.TryRemove(order, out _);
        }
    }

    private static async Task WaitAsync(Task task, string order, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) != task)
        {
            throw new InvalidOperationException($"FAILED: Workflow Core order {order} did not reach {what} within 60 s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }

    /// <summary>The order's data: what our engine keeps in the document, the tasks and the workflow state.</summary>
    public sealed class RaceOrder
    {
        public string OrderId { get; set; } = "";

        public string Grade { get; set; } = "";

        public string SubmittedBy { get; set; } = "";

        public bool Major { get; set; }

        public List<RaceTask> Tasks { get; set; } = [];

        public object? Decision1 { get; set; }

        public object? Decision2 { get; set; }

        public string Status { get; set; } = "Draft";
    }

    public sealed class RaceTask
    {
        public int Step { get; set; }

        public string Assignee { get; set; } = "";

        public DateTime DueAt { get; set; }

        public DateTime RemindAt { get; set; }
    }

    /// <summary>Submit (Pending) → task 1 → wait for approval-1 → classify (grade) → task 2 → wait for approval-2 → Approved.</summary>
    public sealed class RaceWorkflow : IWorkflow<RaceOrder>
    {
        public string Id => "race-chain";

        public int Version => 1;

        public void Build(IWorkflowBuilder<RaceOrder> builder) => builder
            .StartWith<Submit>()
            .Then<CreateTask>().Input(s => s.Step, d => 1).Input(s => s.Assignee, d => "wangqiang")
            .WaitFor("approval-1", d => d.OrderId, d => DateTime.MinValue).Output(d => d.Decision1, s => s.EventData)
            .Then<Classify>()
            .Then<CreateTask>().Input(s => s.Step, d => 2).Input(s => s.Assignee, d => "liuhua")
            .WaitFor("approval-2", d => d.OrderId, d => DateTime.MinValue).Output(d => d.Decision2, s => s.EventData)
            .Then<Approve>();
    }

    public sealed class Submit : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            ((RaceOrder)context.Workflow.Data).Status = "Pending";
            return ExecutionResult.Next();
        }
    }

    /// <summary>A task with a due date in 3 days and one reminder a day before it (data only), then the driver is told.</summary>
    public sealed class CreateTask : StepBody
    {
        public int Step { get; set; }

        public string Assignee { get; set; } = "";

        public override ExecutionResult Run(IStepExecutionContext context)
        {
            var order = (RaceOrder)context.Workflow.Data;
            var due = DateTime.UtcNow.AddDays(3);
            order.Tasks.Add(new RaceTask { Step = Step, Assignee = Assignee, DueAt = due, RemindAt = due.AddDays(-1) });
            if (TaskCreated.TryGetValue((order.OrderId, Step), out var created))
            {
                created.TrySetResult();
            }

            return ExecutionResult.Next();
        }
    }

    /// <summary>What the JavaScript condition does in our chain: is the hazard 重大?</summary>
    public sealed class Classify : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            var order = (RaceOrder)context.Workflow.Data;
            order.Major = order.Grade == "重大";
            return ExecutionResult.Next();
        }
    }

    public sealed class Approve : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            ((RaceOrder)context.Workflow.Data).Status = "Approved";
            return ExecutionResult.Next();
        }
    }
}
