using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

/// <summary>An in-memory <see cref="IExpressionContext"/> that records every variable write.</summary>
internal sealed class FakeExpressionContext : IExpressionContext
{
    public string WorkflowDefinitionId { get; init; } = "approval-chain";

    public string WorkflowDefinitionVersionId { get; init; } = "approval-chain-v3";

    public int WorkflowDefinitionVersion { get; init; } = 3;

    public string WorkflowInstanceId { get; init; } = "instance-42";

    public string? CorrelationId { get; set; } = "doc-7";

    public string? WorkflowInstanceName { get; set; } = "隐患整改通知 7";

    public Dictionary<string, object?> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Names passed to <see cref="SetVariable"/>, in call order.</summary>
    public List<string> VariableWrites { get; } = [];

    public IReadOnlyCollection<string> VariableNames => [.. Variables.Keys];

    public Dictionary<string, object?> Inputs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object?> ActivityInputValues { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyDictionary<string, object?>> Outputs { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object?> WorkflowInputs => Inputs;

    public IReadOnlyDictionary<string, object?> ActivityInputs => ActivityInputValues;

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> ActivityOutputs => Outputs;

    public object? LastResult { get; set; }

    public IList<string>? Outcomes { get; set; }

    public bool TryGetVariable(string name, out object? value) => Variables.TryGetValue(name, out value);

    public void SetVariable(string name, object? value)
    {
        Variables[name] = value;
        VariableWrites.Add(name);
    }

    public FakeExpressionContext WithVariable(string name, object? value)
    {
        Variables[name] = value;
        return this;
    }
}
