using Microsoft.Extensions.Options;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>What every execution needs from the runtime: the clock, the input evaluator, the execution budget and the
/// registry of runs in this process (for cooperative cancellation).</summary>
public sealed class WorkflowRuntimeServices(
    TimeProvider clock, InputEvaluator inputs, IOptions<WorkflowBudgetOptions> budget, IWorkflowMemoryProbe memory, RunningWorkflows runs)
{
    public TimeProvider Clock { get; } = clock;

    public InputEvaluator Inputs { get; } = inputs;

    public WorkflowBudgetOptions Budget => budget.Value;

    public IWorkflowMemoryProbe Memory { get; } = memory;

    public RunningWorkflows Runs { get; } = runs;
}
