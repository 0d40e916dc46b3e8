using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// Evaluates Elsa inputs: a wrapped input <c>{typeName, expression:{type, value}}</c>, or a plain JSON value read as a
/// Literal. A wrapped object without a <c>typeName</c> key is "unset" (the type's default), as in Elsa.
/// </summary>
public sealed class InputEvaluator(IEnumerable<IExpressionEvaluator> evaluators)
{
    private readonly Dictionary<string, IExpressionEvaluator> _evaluators =
        evaluators.ToDictionary(e => e.Type, StringComparer.OrdinalIgnoreCase);

    public IExpressionEvaluator? Find(string type) => _evaluators.GetValueOrDefault(type);

    public async ValueTask<object?> EvaluateAsync(ActivityExecutionContext context, JsonNode? input, string typeAlias, object? defaultValue)
    {
        if (input is null)
        {
            return Values.ConvertTo(defaultValue, typeAlias);
        }

        if (input is not JsonObject wrapped)
        {
            return Values.ConvertTo(Values.FromJson(input), typeAlias);
        }

        if (wrapped.KeyOf("typeName") is null)
        {
            return Values.ConvertTo(defaultValue, typeAlias);
        }

        var expression = wrapped.GetObject("expression");
        if (expression is null)
        {
            return Values.ConvertTo(defaultValue, typeAlias);
        }

        var type = expression.GetString("type") ?? "Literal";
        var value = expression.Get("value");
        var raw = await EvaluateExpressionAsync(context, type, value);
        return Values.ConvertTo(raw, typeAlias);
    }

    /// <summary>Evaluates one expression <c>{type, value}</c> (also used by FlowSwitch cases).</summary>
    public async ValueTask<object?> EvaluateExpressionAsync(ActivityExecutionContext context, string type, JsonNode? value)
    {
        switch (type)
        {
            case "Literal":
                return Values.FromJson(value);
            case "Object" or "Json":
                return value is JsonValue text && JsonRead.AsString(text) is { } json ? JsonRead.TryParse(json) ?? (object?)json : Values.FromJson(value);
            case "Variable":
                var reference = JsonRead.AsObject(value);
                var id = reference?.GetString("id") ?? JsonRead.AsString(value);
                if (id is null)
                {
                    return null;
                }

                return context.Execution.Variables.TryFindById(context, id, out _)
                    ? context.Execution.Variables.GetById(context, id)
                    : context.Execution.Variables.TryGetByName(context, reference?.GetString("name") ?? id, out var byName) ? byName : null;
            case "Input":
                var definition = JsonRead.AsObject(value);
                var name = definition?.GetString("name") ?? JsonRead.AsString(value);
                return name is not null && context.Execution.State.Input.TryGetPropertyValue(name, out var input) ? Values.FromJson(input) : null;
            default:
                var evaluator = Find(type) ?? throw new ExpressionException($"expression type '{type}' is not supported here");
                var script = JsonRead.AsString(value) ?? "";
                return await evaluator.EvaluateAsync(script, context.ExpressionContext, context.Execution.CancellationToken);
        }
    }
}
