using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>Elsa's implicit root activity (<c>Elsa.Workflow</c>, node id <c>Workflow1</c>): runs the definition's root and owns the workflow variables.</summary>
public sealed class WorkflowRoot : IContainerActivity
{
    public const string TypeName = "Elsa.Workflow";
    public const string NodeId = "Workflow1";

    public ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.ScheduleChild(context.Node.Embedded["root"]);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) =>
        child.Status == ActivityStatus.Completed ? context.CompleteAsync() : ValueTask.CompletedTask;
}

/// <summary>
/// <c>Elsa.Flowchart</c> with Elsa 3.8's default counter-based scheduling: every activity with several inbound
/// connections waits until each forward inbound path has either run or been ruled out (implicitly
/// <c>WaitAllActive</c>; an <c>Elsa.FlowJoin</c> chooses its own mode), paths not taken are propagated as skipped,
/// backward connections re-run their target as loops, and a terminal node ends the flowchart at once.
/// </summary>
/// <remarks>The scheduling strategy sits behind <see cref="IFlowScheduler"/> so a token-based mode can be added per definition.</remarks>
public sealed class Flowchart(IFlowScheduler scheduler) : IContainerActivity
{
    public const string TypeName = "Elsa.Flowchart";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var start = StartOf(context);
        if (start is null)
        {
            await context.CompleteAsync();
            return;
        }

        context.ScheduleChild(start);
    }

    public ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) =>
        scheduler.OnChildCompletedAsync(context, child);

    /// <summary>
    /// Where this run of the flowchart started (Elsa's <c>GetStartActivity</c>, Flowchart.Counters.cs): the trigger that
    /// started the instance when it is one of the flowchart's activities, else the default start node.
    /// </summary>
    public static ActivityNode? StartOf(ActivityExecutionContext flowchart)
    {
        var graph = flowchart.Node.Flow!;
        var triggerId = flowchart.Execution.State.Properties["triggerActivityId"]?.GetValue<string>();
        return graph.StartNode(triggerId);
    }
}

/// <summary>How a flowchart decides what runs after a child completes or is cancelled.</summary>
public interface IFlowScheduler
{
    ValueTask OnChildCompletedAsync(ActivityExecutionContext flowchart, ActivityExecutionContext child);
}

/// <summary>
/// Elsa 3.8's counter-based flowchart scheduler. Per flowchart context it keeps, in <c>properties.FlowScope</c>, a visit
/// count per activity and per connection and whether each connection was followed on its last visit; a target is
/// decided once every forward inbound connection has been visited more often than the target itself.
/// </summary>
public sealed class CounterFlowScheduler : IFlowScheduler
{
    public const string ScopeKey = "FlowScope";

    public async ValueTask OnChildCompletedAsync(ActivityExecutionContext flowchart, ActivityExecutionContext child)
    {
        var graph = flowchart.Node.Flow!;
        if (child.Status == ActivityStatus.Canceled)
        {
            // A cancelled member propagates "not followed" (guards: only our own children, never a dangling node).
            if (graph.Find(child.Node.Id) is { } member && !graph.IsDangling(member, Flowchart.StartOf(flowchart)))
            {
                await PropagateAsync(flowchart, graph, Scope(flowchart), member, [], byBackward: false);
            }

            await CompleteIfDoneAsync(flowchart);
            return;
        }

        if (child.Status != ActivityStatus.Completed)
        {
            return;
        }

        if (Terminal.IsTerminal(child.Node.Type))
        {
            await flowchart.CompleteAsync();
            return;
        }

        await PropagateAsync(flowchart, graph, Scope(flowchart), child.Node, child.Outcomes, child.State.ViaBackwardConnection);
        await CompleteIfDoneAsync(flowchart);
    }

    private static async ValueTask PropagateAsync(
        ActivityExecutionContext flowchart, FlowGraph graph, JsonObject scope, ActivityNode source, IReadOnlyList<string> outcomes, bool byBackward)
    {
        var start = Flowchart.StartOf(flowchart);
        if (graph.IsDangling(source, start))
        {
            throw new InvalidOperationException($"activity '{source.Id}' cannot be reached from the start of flowchart '{flowchart.Node.Id}'");
        }

        if (!byBackward)
        {
            Increment(scope, "activitiesVisitCount", source.Id);
        }

        foreach (var connection in graph.Outbound[source.Id])
        {
            var followed = connection.IsFollowedBy(outcomes);
            Increment(scope, "connectionVisitCount", Key(connection));
            ((JsonObject)scope["connectionLastVisitFollowed"]!)[Key(connection)] = followed;
            if (connection.IsBackward)
            {
                if (followed)
                {
                    flowchart.ScheduleChild(connection.Target, viaBackwardConnection: true);
                }

                continue;
            }

            var target = connection.Target;
            var mode = target.Type == FlowJoin.TypeName ? await FlowJoin.ModeAsync(target, flowchart) : FlowJoinMode.WaitAllActive;
            var inbound = graph.ForwardInbound(target, start).ToList();
            switch (mode)
            {
                case FlowJoinMode.WaitAny:
                    if (Count(scope, "connectionVisitCount", Key(connection)) <= Count(scope, "activitiesVisitCount", target.Id) || IsPending(flowchart, target))
                    {
                        break;
                    }

                    if (AnyFollowed(scope, target, inbound))
                    {
                        await CancelAncestorsAsync(flowchart, graph, target);
                        flowchart.ScheduleChild(target);
                    }
                    else if (AllVisited(scope, target, inbound))
                    {
                        await PropagateAsync(flowchart, graph, scope, target, [], byBackward: false);
                    }

                    break;
                default:
                    if (!AllVisited(scope, target, inbound))
                    {
                        break;
                    }

                    var run = mode == FlowJoinMode.WaitAll ? AllFollowed(scope, target, inbound) : AnyFollowed(scope, target, inbound);
                    if (run)
                    {
                        flowchart.ScheduleChild(target);
                    }
                    else
                    {
                        await PropagateAsync(flowchart, graph, scope, target, [], byBackward: false);
                    }

                    break;
            }
        }
    }

    /// <summary>Cancels the flowchart's running children that lie upstream of <paramref name="target"/> (WaitAny, and a join when it runs).</summary>
    public static async ValueTask CancelAncestorsAsync(ActivityExecutionContext flowchart, FlowGraph graph, ActivityNode target)
    {
        var ancestors = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ActivityNode>([target]);
        var start = Flowchart.StartOf(flowchart);
        while (pending.TryPop(out var node))
        {
            foreach (var inbound in graph.ForwardInbound(node, start))
            {
                if (ancestors.Add(inbound.Source.Id))
                {
                    pending.Push(inbound.Source);
                }
            }
        }

        foreach (var running in flowchart.RunningChildren().Where(c => ancestors.Contains(c.Node.Id)))
        {
            await flowchart.CancelChildAsync(running);
        }
    }

    private static async ValueTask CompleteIfDoneAsync(ActivityExecutionContext flowchart)
    {
        if (flowchart.Status != ActivityStatus.Running
            || flowchart.RunningChildren().Count > 0
            || flowchart.Execution.HasQueuedWorkUnder(flowchart)
            || flowchart.Execution.HasFaultedChild(flowchart))
        {
            return;
        }

        await flowchart.CompleteAsync();
    }

    private static bool IsPending(ActivityExecutionContext flowchart, ActivityNode target) =>
        flowchart.RunningChildren().Any(c => c.Node.Id == target.Id);

    /// <summary>Elsa's connection key: <c>source:port-&gt;target:port</c>.</summary>
    private static string Key(FlowConnection connection) => $"{connection.Source.Id}:{connection.SourcePort ?? "Done"}->{connection.Target.Id}:{connection.TargetPort}";

    private static bool AllVisited(JsonObject scope, ActivityNode target, List<FlowConnection> inbound) =>
        inbound.Count > 0 && inbound.Min(c => Count(scope, "connectionVisitCount", Key(c))) > Count(scope, "activitiesVisitCount", target.Id);

    private static bool AnyFollowed(JsonObject scope, ActivityNode target, List<FlowConnection> inbound)
    {
        if (inbound.Count == 0)
        {
            return false;
        }

        var max = inbound.Max(c => Count(scope, "connectionVisitCount", Key(c)));
        return max > Count(scope, "activitiesVisitCount", target.Id)
            && inbound.Any(c => Count(scope, "connectionVisitCount", Key(c)) == max && Followed(scope, c));
    }

    private static bool AllFollowed(JsonObject scope, ActivityNode target, List<FlowConnection> inbound)
    {
        if (inbound.Count == 0)
        {
            return false;
        }

        var max = inbound.Max(c => Count(scope, "connectionVisitCount", Key(c)));
        return max > Count(scope, "activitiesVisitCount", target.Id)
            && inbound.All(c => Count(scope, "connectionVisitCount", Key(c)) == max && Followed(scope, c));
    }

    private static JsonObject Scope(ActivityExecutionContext flowchart)
    {
        if (flowchart.Properties[ScopeKey] is not JsonObject scope)
        {
            scope = new JsonObject
            {
                ["activitiesVisitCount"] = new JsonObject(),
                ["connectionVisitCount"] = new JsonObject(),
                ["connectionLastVisitFollowed"] = new JsonObject(),
            };
            flowchart.Properties[ScopeKey] = scope;
        }

        return scope;
    }

    private static long Count(JsonObject scope, string table, string key) => scope[table]?[key]?.GetValue<long>() ?? 0;

    private static void Increment(JsonObject scope, string table, string key) => ((JsonObject)scope[table]!)[key] = Count(scope, table, key) + 1;

    private static bool Followed(JsonObject scope, FlowConnection connection) =>
        scope["connectionLastVisitFollowed"]?[Key(connection)]?.GetValue<bool>() ?? false;
}
