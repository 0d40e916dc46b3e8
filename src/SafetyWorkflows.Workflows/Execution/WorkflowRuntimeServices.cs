namespace SafetyWorkflows.Workflows.Execution;

/// <summary>What every execution needs from the runtime: the clock and the input evaluator.</summary>
public sealed class WorkflowRuntimeServices(TimeProvider clock, InputEvaluator inputs)
{
    public TimeProvider Clock { get; } = clock;

    public InputEvaluator Inputs { get; } = inputs;
}
