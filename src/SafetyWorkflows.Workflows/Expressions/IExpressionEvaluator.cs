using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Evaluates one expression language (Elsa's <c>expression.type</c>: <c>JavaScript</c>, <c>Liquid</c>). Literal, Object,
/// Variable and Input expressions are handled by the runtime itself.
/// </summary>
public interface IExpressionEvaluator
{
    /// <summary>The Elsa expression type this evaluator handles, e.g. <c>JavaScript</c>.</summary>
    string Type { get; }

    /// <summary>
    /// Runs the script and returns its value as a plain value: null, string, bool, a number (double, or long when integral),
    /// or a <see cref="JsonNode"/> for objects and arrays. The runtime converts it to the input's type afterwards.
    /// Throws <see cref="ExpressionException"/> for a syntax error, a run-time error or a broken limit.
    /// </summary>
    ValueTask<object?> EvaluateAsync(string script, IExpressionContext context, CancellationToken cancellationToken);

    /// <summary>Checks the syntax without running anything; returns null when the script parses.</summary>
    string? CheckSyntax(string script);
}

/// <summary>What an expression can see and change: the workflow's variables, inputs, outputs and identity.</summary>
public interface IExpressionContext
{
    string WorkflowDefinitionId { get; }

    string WorkflowDefinitionVersionId { get; }

    int WorkflowDefinitionVersion { get; }

    string WorkflowInstanceId { get; }

    string? CorrelationId { get; set; }

    string? WorkflowInstanceName { get; set; }

    /// <summary>Names of the variables in scope (workflow and enclosing containers), innermost first.</summary>
    IReadOnlyCollection<string> VariableNames { get; }

    bool TryGetVariable(string name, out object? value);

    /// <summary>Sets a variable in scope by name; creates a workflow-level variable if none has that name (as Elsa's <c>setVariable</c> does).</summary>
    void SetVariable(string name, object? value);

    /// <summary>Workflow inputs by name.</summary>
    IReadOnlyDictionary<string, object?> WorkflowInputs { get; }

    /// <summary>The evaluated inputs of the activity being run, by input name (camelCase and PascalCase both work for Liquid's <c>Input.x</c>).</summary>
    IReadOnlyDictionary<string, object?> ActivityInputs { get; }

    /// <summary>The outputs of activities that already ran: (activity name or id) → (output name → value).</summary>
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> ActivityOutputs { get; }

    /// <summary>The result of the activity that ran last, for <c>getLastResult()</c>.</summary>
    object? LastResult { get; }

    /// <summary>Outcomes chosen by <c>setOutcome</c>/<c>setOutcomes</c> (RunJavaScript); null when the script chose none.</summary>
    IList<string>? Outcomes { get; set; }
}

/// <summary>An expression that could not be parsed or run, or broke a sandbox limit.</summary>
public sealed class ExpressionException(string message, Exception? inner = null) : Exception(message, inner);
