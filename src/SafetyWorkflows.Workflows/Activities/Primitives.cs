using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>Terminal activities end their flowchart at once (Elsa: End, Finish, Break, Complete).</summary>
public static class Terminal
{
    public static bool IsTerminal(string type) => type is "Elsa.End" or "Elsa.Finish" or "Elsa.Break" or "Elsa.Complete";
}

/// <summary><c>Elsa.Start</c>: a marker that completes at once.</summary>
public sealed class Start : IActivity
{
    public ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary><c>Elsa.End</c>: completes its enclosing flowchart (the flowchart cancels its other children).</summary>
public sealed class End : IActivity
{
    public ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary>
/// <c>Elsa.Complete</c>: completes its enclosing composite (the flowchart, being terminal) with the outcomes named in
/// <c>outcomes</c> (Done when none), which a container such as FlowNode then reports as its own.
/// </summary>
public sealed class Complete : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var outcomes = Values.Items(await context.EvaluateInputAsync("outcomes", "List<String>"))
            .Select(o => o?.ToString()).OfType<string>().Where(o => o.Length > 0).ToArray();
        // Elsa's CompleteCompositeSignal carries the outcomes to the composite; a workflow run as an activity completes
        // its node with them (WorkflowDefinitionActivity reads them from the finished child instance).
        context.Execution.State.Properties[WorkflowDefinitionActivity.CompleteOutcomesKey] = new JsonArray(outcomes.Select(o => (JsonNode)JsonValue.Create(o)).ToArray());
        await context.CompleteAsync(outcomes);
    }
}

/// <summary>
/// <c>Elsa.NotFoundActivity</c>: Elsa's placeholder for an activity whose type is not registered. A definition holding one
/// never loads (the error names the node and the missing type), so it stays a draft; if it ran it would fault as in Elsa.
/// </summary>
public sealed class NotFoundActivity : IValidatingActivity
{
    public IEnumerable<string> Validate(ActivityNode node) =>
        [$"unknown activity type '{node.Json.GetString("missingTypeName") ?? "?"}' (version {node.Json.GetInt("missingTypeVersion") ?? 1})"];

    public ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        throw new InvalidOperationException($"activity type '{context.Node.Json.GetString("missingTypeName")}' not found");
}

/// <summary><c>Elsa.Finish</c>: clears every scheduled item and bookmark of the workflow and finishes it.</summary>
public sealed class Finish : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Execution.FinishWorkflow();
        await context.CompleteAsync();
    }
}

/// <summary>Where <c>Elsa.WriteLine</c> writes (standard output by default; tests capture it).</summary>
public interface IStandardOutput
{
    void WriteLine(string? text);
}

internal sealed class ConsoleStandardOutput : IStandardOutput
{
    public void WriteLine(string? text) => Console.Out.WriteLine(text);
}

/// <summary><c>Elsa.WriteLine</c>: writes <c>text</c> to standard output.</summary>
public sealed class WriteLine(IStandardOutput output) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        output.WriteLine(await context.EvaluateStringAsync("text"));
        await context.CompleteAsync();
    }
}

/// <summary><c>Elsa.SetVariable</c>: finds the variable by id among those in scope and sets it.</summary>
public sealed class SetVariable : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var reference = JsonRead.AsObject(context.RawInput("variable"));
        var id = reference?.GetString("id") ?? throw new InvalidOperationException("SetVariable has no variable");
        if (!context.Execution.Variables.TryFindById(context, id, out var variable))
        {
            throw new InvalidOperationException($"variable '{reference.GetString("name") ?? id}' ({id}) is not in scope");
        }

        var value = await context.EvaluateInputAsync("value", variable.IsArray ? $"List<{variable.TypeName}>" : variable.TypeName);
        context.Execution.Variables.SetById(context, id, value);
        await context.CompleteAsync();
    }
}

/// <summary><c>Elsa.SetName</c>: sets the instance name.</summary>
public sealed class SetName : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Execution.State.Name = await context.EvaluateStringAsync("value");
        await context.CompleteAsync();
    }
}

/// <summary><c>Elsa.Correlate</c>: sets the instance correlation id.</summary>
public sealed class Correlate : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Execution.State.CorrelationId = await context.EvaluateStringAsync("correlationId");
        await context.CompleteAsync();
    }
}

/// <summary><c>Elsa.SetOutput</c>: sets a workflow output.</summary>
public sealed class SetOutput : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = await context.EvaluateStringAsync("outputName");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidOperationException("SetOutput has no output name");
        }

        var declared = context.Execution.Workflow.Definition.Outputs.FirstOrDefault(o => o.Name == name);
        var value = await context.EvaluateInputAsync("outputValue", declared?.Type ?? "Object");
        context.Execution.State.Output[name] = Values.ToJson(value);
        await context.CompleteAsync();
    }
}

/// <summary>The exception <c>Elsa.Fault</c> raises.</summary>
public sealed class WorkflowFaultException(string message, string code, string category, string faultType) : Exception(message)
{
    public string Code { get; } = code;

    public string Category { get; } = category;

    public string FaultType { get; } = faultType;
}

/// <summary><c>Elsa.Fault</c>: raises a fault, handled like any other activity fault.</summary>
public sealed class Fault : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var code = await context.EvaluateStringAsync("code", "0") ?? "0";
        var category = await context.EvaluateStringAsync("category", "General") ?? "General";
        var type = await context.EvaluateStringAsync("faultType", "System") ?? "System";
        var message = await context.EvaluateStringAsync("message") ?? "Fault";
        throw new WorkflowFaultException(message, code, category, type);
    }
}

/// <summary><c>Elsa.FlowDecision</c>: completes with <c>True</c> or <c>False</c>.</summary>
public sealed class FlowDecision : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        await context.CompleteAsync(await context.EvaluateBoolAsync("condition") ? "True" : "False");
}

/// <summary><c>Elsa.FlowSwitch</c>: the first matching case label (MatchFirst), every matching label (MatchAny), or <c>Default</c>.</summary>
public sealed class FlowSwitch : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var mode = await context.EvaluateStringAsync("mode", "MatchFirst");
        var matches = new List<string>();
        foreach (var item in JsonRead.AsArray(context.RawInput("cases")) ?? [])
        {
            if (JsonRead.AsObject(item) is not { } @case)
            {
                continue;
            }

            var label = @case.GetString("label") ?? "";
            var condition = @case.GetObject("condition");
            var value = condition is null
                ? null
                : await context.Execution.Inputs.EvaluateExpressionAsync(context, condition.GetString("type") ?? "Literal", condition.Get("value"));
            if (Values.ToBoolean(value))
            {
                matches.Add(label);
                if (mode != "MatchAny")
                {
                    break;
                }
            }
        }

        await context.CompleteAsync(matches.Count == 0 ? ["Default"] : [.. matches]);
    }
}

/// <summary><c>Elsa.FlowFork</c>: completes with every branch name, so all branches start.</summary>
public sealed class FlowFork : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        // A missing list means Done; an empty list means no outcome at all (every branch not followed), as in Elsa.
        var raw = await context.EvaluateInputAsync("branches", "List<String>");
        var branches = raw is null ? ["Done"] : Values.Items(raw).Select(Values.AsText).OfType<string>().ToArray();
        await context.Execution.CompleteAsync(context, branches);
    }
}

public enum FlowJoinMode
{
    WaitAll,
    WaitAllActive,
    WaitAny,
}

/// <summary><c>Elsa.FlowJoin</c>: the waiting happens in the flowchart; when the join runs it completes.</summary>
public sealed class FlowJoin : IActivity
{
    public const string TypeName = "Elsa.FlowJoin";

    public static async ValueTask<FlowJoinMode> ModeAsync(ActivityNode join, ActivityExecutionContext flowchart)
    {
        var raw = await flowchart.Execution.Inputs.EvaluateAsync(flowchart, join.Input("mode"), "String", "WaitAny");
        return Enum.TryParse<FlowJoinMode>(Values.AsText(raw), ignoreCase: true, out var mode) ? mode : FlowJoinMode.WaitAny;
    }

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await context.EvaluateStringAsync("mode", "WaitAny");
        if (context.Parent?.Node.Flow is { } graph)
        {
            // When the join runs it cancels whatever is still running upstream of it, in every mode (Elsa's static join).
            await CounterFlowScheduler.CancelAncestorsAsync(context.Parent, graph, context.Node);
        }

        await context.CompleteAsync();
    }
}

/// <summary>Runs one embedded child (a port property such as <c>body</c>) and completes when it does.</summary>
public sealed class FlowNode : IContainerActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Node.Embedded.TryGetValue("body", out var body))
        {
            context.ScheduleChild(body);
        }
        else
        {
            await context.CompleteAsync();
        }
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => context.CompleteAsync();
}

/// <summary><c>Elsa.If</c>: runs <c>then</c> or <c>else</c>, then completes; <c>result</c> is the condition.</summary>
public sealed class If : IContainerActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var condition = await context.EvaluateBoolAsync("condition");
        context.SetOutput("result", condition);
        if (context.Node.Embedded.TryGetValue(condition ? "then" : "else", out var branch))
        {
            context.ScheduleChild(branch);
        }
        else
        {
            await context.CompleteAsync();
        }
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => context.CompleteAsync();
}

/// <summary>Loops listen for <c>Elsa.Break</c> through this flag on their context.</summary>
internal static class BreakSignal
{
    public const string Key = "breakRequested";

    public static bool Consume(ActivityExecutionContext loop)
    {
        var requested = loop.Properties[Key]?.GetValue<bool>() ?? false;
        loop.Properties.Remove(Key);
        return requested;
    }
}

/// <summary><c>Elsa.Break</c>: signals the nearest loop, then (being terminal) completes its own flowchart.</summary>
public sealed class Break : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        for (var current = context.Parent; current is not null; current = current.Parent)
        {
            if (current.Node.Behaviour is While or ForEach or For)
            {
                current.Properties[BreakSignal.Key] = true;
                break;
            }
        }

        await context.CompleteAsync();
    }
}

/// <summary><c>Elsa.While</c>: runs <c>body</c> while <c>condition</c> holds (evaluated before each iteration).</summary>
public sealed class While : IContainerActivity
{
    public ValueTask ExecuteAsync(ActivityExecutionContext context) => NextAsync(context);

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) =>
        BreakSignal.Consume(context) ? context.CompleteAsync() : NextAsync(context);

    private static async ValueTask NextAsync(ActivityExecutionContext context)
    {
        if (await context.EvaluateBoolAsync("condition") && context.Node.Embedded.TryGetValue("body", out var body))
        {
            context.ScheduleChild(body);
        }
        else
        {
            await context.CompleteAsync();
        }
    }
}

/// <summary><c>Elsa.ForEach</c>: for each item sets <c>currentValue</c> and the body-scoped <c>CurrentIndex</c>/<c>CurrentValue</c> variables, then runs <c>body</c>.</summary>
public sealed class ForEach : IContainerActivity
{
    public const string IndexKey = "currentIndex";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = Values.Items(await context.EvaluateInputAsync("items", "List<Object>"));
        context.Properties["items"] = new JsonArray(items.Select(Values.ToJson).ToArray());
        context.Properties[IndexKey] = 0;
        await NextAsync(context);
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        if (BreakSignal.Consume(context))
        {
            return context.CompleteAsync();
        }

        context.Properties[IndexKey] = context.Properties[IndexKey]!.GetValue<int>() + 1;
        return NextAsync(context);
    }

    private static async ValueTask NextAsync(ActivityExecutionContext context)
    {
        var items = context.Properties["items"]!.AsArray();
        var index = context.Properties[IndexKey]!.GetValue<int>();
        if (index >= items.Count || !context.Node.Embedded.TryGetValue("body", out var body))
        {
            await context.CompleteAsync();
            return;
        }

        var value = Values.FromJson(items[index]);
        context.SetOutput("currentValue", value);
        context.Execution.Variables.SetById(context, "CurrentIndex", (long)index);
        context.Execution.Variables.SetById(context, "CurrentValue", value);
        context.ScheduleChild(body);
    }
}
