using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>A container whose children sit in lists of its JSON (Sequence's <c>activities</c>, Fork's <c>branches</c>, Switch's cases).</summary>
public interface IChildListActivity : IContainerActivity
{
    /// <summary>The child activities with the key each is kept under in <see cref="ActivityNode.Embedded"/>, in order.</summary>
    IEnumerable<(string Key, JsonObject Child)> Children(JsonObject json);
}

internal static class ChildLists
{
    public static IEnumerable<(string Key, JsonObject Child)> Indexed(JsonObject json, string property, string prefix) =>
        (json.GetArray(property) ?? []).OfType<JsonObject>().Where(DefinitionWriter.IsActivityObject).Select((child, i) => ($"{prefix}{i}", child));

    public static List<ActivityNode> Ordered(ActivityNode node, string prefix) =>
        node.Embedded.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(e => int.Parse(e.Key.AsSpan(prefix.Length), System.Globalization.CultureInfo.InvariantCulture)).Select(e => e.Value).ToList();

    /// <summary>Completes the container once none of its children runs and nothing is queued under it.</summary>
    /// <summary>Schedules every child of the list at once (Parallel, Fork); an empty list completes at once.</summary>
    public static ValueTask ScheduleAllAsync(ActivityExecutionContext context, string prefix)
    {
        var children = Ordered(context.Node, prefix);
        if (children.Count == 0)
        {
            return context.CompleteAsync();
        }

        foreach (var child in children)
        {
            context.ScheduleChild(child);
        }

        return ValueTask.CompletedTask;
    }

    public static ValueTask CompleteWhenIdleAsync(ActivityExecutionContext context) =>
        context.Status == ActivityStatus.Running && context.RunningChildren().Count == 0 && !context.Execution.HasQueuedWorkUnder(context)
            ? context.CompleteAsync()
            : ValueTask.CompletedTask;
}

/// <summary><c>Elsa.Sequence</c> (C/Activities/Sequence.cs): runs <c>activities</c> one after the other, then completes; may be the root.</summary>
public sealed class Sequence : IChildListActivity
{
    public const string TypeName = "Elsa.Sequence";
    private const string IndexKey = "currentIndex";

    public IEnumerable<(string Key, JsonObject Child)> Children(JsonObject json) => ChildLists.Indexed(json, "activities", "activities:");

    public ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Properties[IndexKey] = 0;
        return NextAsync(context);
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        if (child.Status != ActivityStatus.Completed)
        {
            return ValueTask.CompletedTask;
        }

        if (BreakSignal.Consume(context) || Terminal.IsTerminal(child.Node.Type))
        {
            return context.CompleteAsync();
        }

        context.Properties[IndexKey] = (context.Properties[IndexKey]?.GetValue<int>() ?? 0) + 1;
        return NextAsync(context);
    }

    private static ValueTask NextAsync(ActivityExecutionContext context)
    {
        var children = ChildLists.Ordered(context.Node, "activities:");
        var index = context.Properties[IndexKey]!.GetValue<int>();
        if (index >= children.Count)
        {
            return context.CompleteAsync();
        }

        context.ScheduleChild(children[index]);
        return ValueTask.CompletedTask;
    }
}

/// <summary><c>Elsa.Parallel</c> (C/Activities/Parallel.cs): schedules every activity at once and completes when all have.</summary>
public sealed class Parallel : IChildListActivity
{
    public IEnumerable<(string Key, JsonObject Child)> Children(JsonObject json) => ChildLists.Indexed(json, "activities", "activities:");

    public ValueTask ExecuteAsync(ActivityExecutionContext context) => ChildLists.ScheduleAllAsync(context, "activities:");

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => ChildLists.CompleteWhenIdleAsync(context);
}

/// <summary>
/// <c>Elsa.Fork</c> (C/Activities/Fork.cs): schedules every branch at once; <c>joinMode</c> WaitAll completes when all
/// branches have, WaitAny completes on the first branch to complete and cancels the branches still running.
/// </summary>
public sealed class Fork : IChildListActivity
{
    public IEnumerable<(string Key, JsonObject Child)> Children(JsonObject json) => ChildLists.Indexed(json, "branches", "branches:");

    public ValueTask ExecuteAsync(ActivityExecutionContext context) => ChildLists.ScheduleAllAsync(context, "branches:");

    public async ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        if (child.Status != ActivityStatus.Completed || context.Status != ActivityStatus.Running)
        {
            return;
        }

        var mode = await context.EvaluateStringAsync("joinMode", "WaitAny");
        if (mode == "WaitAny")
        {
            // Completing cancels the branches still running (ActivityExecutionContext completion cancels its children).
            await context.CompleteAsync();
            return;
        }

        await ChildLists.CompleteWhenIdleAsync(context);
    }
}

/// <summary>
/// <c>Elsa.For</c> (C/Activities/For.cs): runs <c>body</c> for <c>start</c>, <c>start + step</c>, … up to <c>end</c>
/// (inclusive when <c>outerBoundInclusive</c>, the default), with <c>currentValue</c> as output; Break ends it.
/// </summary>
public sealed class For : IContainerActivity
{
    private const string ValueKey = "currentValue";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var start = Convert.ToInt64(await context.EvaluateInputAsync("start", "Int64", 0L), System.Globalization.CultureInfo.InvariantCulture);
        context.Properties[ValueKey] = start;
        await NextAsync(context);
    }

    public async ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        if (child.Status != ActivityStatus.Completed)
        {
            return;
        }

        if (BreakSignal.Consume(context))
        {
            await context.CompleteAsync();
            return;
        }

        var step = Convert.ToInt64(await context.EvaluateInputAsync("step", "Int64", 1L), System.Globalization.CultureInfo.InvariantCulture);
        context.Properties[ValueKey] = context.Properties[ValueKey]!.GetValue<long>() + step;
        await NextAsync(context);
    }

    private static async ValueTask NextAsync(ActivityExecutionContext context)
    {
        var end = Convert.ToInt64(await context.EvaluateInputAsync("end", "Int64", 0L), System.Globalization.CultureInfo.InvariantCulture);
        var step = Convert.ToInt64(await context.EvaluateInputAsync("step", "Int64", 1L), System.Globalization.CultureInfo.InvariantCulture);
        var inclusive = await context.EvaluateBoolAsync("outerBoundInclusive", true);
        var current = context.Properties[ValueKey]!.GetValue<long>();
        var within = step >= 0 ? (inclusive ? current <= end : current < end) : (inclusive ? current >= end : current > end);
        if (step == 0 || !within || !context.Node.Embedded.TryGetValue("body", out var body))
        {
            await context.CompleteAsync();
            return;
        }

        context.SetOutput("currentValue", current);
        context.ScheduleChild(body);
    }
}

/// <summary>
/// <c>Elsa.ParallelForEach</c> (C/Activities/ParallelForEach.cs): runs <c>body</c> once per item, all at once, each
/// run with its own CurrentIndex and CurrentValue; completes when every run has.
/// </summary>
public sealed class ParallelForEach : IContainerActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = Values.Items(await context.EvaluateInputAsync("items", "List<Object>")).ToList();
        if (items.Count == 0 || !context.Node.Embedded.TryGetValue("body", out var body))
        {
            await context.CompleteAsync();
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var run = context.ScheduleChild(body);
            context.Execution.Variables.SetById(run, "CurrentIndex", (long)i);
            context.Execution.Variables.SetById(run, "CurrentValue", items[i]);
        }
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => ChildLists.CompleteWhenIdleAsync(context);
}

/// <summary>
/// <c>Elsa.Switch</c> (C/Activities/Switch.cs): <c>cases</c> of <c>{label, condition, activity}</c>; MatchFirst runs the
/// first case whose condition holds, MatchAny every one (all at once); <c>default</c> runs when none holds.
/// </summary>
public sealed class Switch : IChildListActivity
{
    public IEnumerable<(string Key, JsonObject Child)> Children(JsonObject json)
    {
        var cases = json.GetArray("cases") ?? [];
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i] is JsonObject @case && @case.GetObject("activity") is { } activity && DefinitionWriter.IsActivityObject(activity))
            {
                yield return ($"cases:{i}", activity);
            }
        }

        if (json.GetObject("default") is { } fallback && DefinitionWriter.IsActivityObject(fallback))
        {
            yield return ("default", fallback);
        }
    }

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var mode = await context.EvaluateStringAsync("mode", "MatchFirst");
        var cases = context.Node.Json.GetArray("cases") ?? [];
        var matched = new List<ActivityNode>();
        var anyCase = false;
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i] is not JsonObject @case || @case.GetObject("condition") is not { } condition)
            {
                continue;
            }

            var value = await context.Execution.Inputs.EvaluateExpressionAsync(context, condition.GetString("type") ?? "Literal", condition.Get("value"));
            if (Values.ToBoolean(value))
            {
                anyCase = true;
                if (context.Node.Embedded.TryGetValue($"cases:{i}", out var activity))
                {
                    matched.Add(activity);
                }

                if (mode != "MatchAny")
                {
                    break;
                }
            }
        }

        if (!anyCase && context.Node.Embedded.TryGetValue("default", out var fallback))
        {
            matched.Add(fallback);
        }

        if (matched.Count == 0)
        {
            await context.CompleteAsync();
            return;
        }

        foreach (var activity in matched)
        {
            context.ScheduleChild(activity);
        }
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => ChildLists.CompleteWhenIdleAsync(context);
}
