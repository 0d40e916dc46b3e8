using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>The <see cref="IExpressionContext"/> of one activity context.</summary>
internal sealed class ExpressionScope(ActivityExecutionContext context) : IExpressionContext
{
    private WorkflowExecution Execution => context.Execution;

    public string WorkflowDefinitionId => Execution.State.DefinitionId;

    public string WorkflowDefinitionVersionId => Execution.State.DefinitionVersionId;

    public int WorkflowDefinitionVersion => Execution.State.DefinitionVersion;

    public string WorkflowInstanceId => Execution.State.Id;

    public string? CorrelationId
    {
        get => Execution.State.CorrelationId;
        set => Execution.State.CorrelationId = value;
    }

    public string? WorkflowInstanceName
    {
        get => Execution.State.Name;
        set => Execution.State.Name = value;
    }

    public IReadOnlyCollection<string> VariableNames => Execution.Variables.NamesInScope(context);

    public bool TryGetVariable(string name, out object? value) => Execution.Variables.TryGetByName(context, name, out value);

    public void SetVariable(string name, object? value) => Execution.Variables.SetByName(context, name, value);

    public IReadOnlyDictionary<string, object?> WorkflowInputs =>
        Execution.State.Input.ToDictionary(p => p.Key, p => Values.FromJson(p.Value), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, object?> ActivityInputs =>
        (context.State.ActivityState ?? []).ToDictionary(p => p.Key, p => Values.FromJson(p.Value), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> ActivityOutputs => Execution.ActivityOutputs();

    public object? LastResult => Execution.LastResult;

    public IList<string>? Outcomes { get; set; }
}
