using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>A loop in a flowchart that nothing on it can end or pause: it runs until the execution budget stops it.</summary>
/// <param name="FlowchartId">The flowchart that holds the loop.</param>
/// <param name="ActivityIds">The activities on the loop, in the order the flowchart lists them.</param>
/// <param name="Message">What it means, "中文 (English)".</param>
public sealed record FlowCycle(string FlowchartId, IReadOnlyList<string> ActivityIds, string Message);

/// <summary>
/// Finds unconditional cycles: loops of a flowchart whose connections all leave by the default port (<c>Done</c>) and
/// whose activities neither decide (Decision, Switch, If, a custom outcome port) nor wait (an event, a timer, a task, an
/// approval step), nor end anything (Fault, End, Finish, Break). Publishing warns about them; it does not refuse them,
/// since a loop may be meant to run a bounded number of times through other means.
/// </summary>
public static class FlowCycles
{
    private static readonly HashSet<string> Deciding = new(StringComparer.Ordinal)
    {
        "Elsa.FlowDecision", "Elsa.FlowSwitch", "Elsa.If", "Elsa.Fault", "Elsa.End", "Elsa.Finish", "Elsa.Break",
    };

    public static IReadOnlyList<FlowCycle> FindUnconditional(Workflow workflow)
    {
        var cycles = new List<FlowCycle>();
        var flowcharts = workflow.AllNodes.Where(n => n.Flow is not null).OrderBy(n => n.NodeId, StringComparer.Ordinal);
        foreach (var flowchart in flowcharts)
        {
            var flow = flowchart.Flow!;
            var plain = flow.Activities.Where(a => !BreaksLoops(a)).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            var edges = flow.Connections
                .Where(c => plain.Contains(c.Source.Id) && plain.Contains(c.Target.Id) && !IsConditional(c))
                .ToLookup(c => c.Source.Id, c => c.Target.Id, StringComparer.Ordinal);
            var vertices = flow.Activities.Select(a => a.Id).Where(plain.Contains).ToList();
            foreach (var component in StronglyConnected(vertices, edges))
            {
                if (component.Count > 1 || edges[component[0]].Contains(component[0]))
                {
                    var ordered = flow.Activities.Select(a => a.Id).Where(component.Contains).ToList();
                    cycles.Add(new FlowCycle(flowchart.Id, ordered, Describe(flowchart, flow, ordered)));
                }
            }
        }

        return cycles;
    }

    private static string Describe(ActivityNode flowchart, FlowGraph flow, IReadOnlyList<string> ids)
    {
        var names = ids.Select(id => flow.Find(id) is { } node ? node.Name ?? node.Id : id).ToList();
        var zh = string.Join("、", names.Select(n => $"“{n}”"));
        var en = string.Join(", ", names.Select(n => $"'{n}'"));
        var name = flowchart.Name ?? flowchart.Id;
        return $"流程图“{name}”中的{zh}构成无条件循环（环上没有判断或等待环节），运行时将一直循环，直到执行预算用尽被中断 " +
            $"(activities {en} of flowchart '{name}' form a cycle with no decision or wait on it; " +
            "at run time it loops until the execution budget stops it)";
    }

    /// <summary>A connection taken only on a named outcome (True, a switch case, Approved…) is a condition; a fork's branches are not.</summary>
    private static bool IsConditional(FlowConnection connection) =>
        connection.SourcePort is { Length: > 0 } port && port != "Done" && connection.Source.Type != "Elsa.FlowFork";

    /// <summary>Decides, waits or ends something, itself or (for a container) anything inside it that waits.</summary>
    private static bool BreaksLoops(ActivityNode node) => Deciding.Contains(node.Type) || Waits(node);

    private static bool Waits(ActivityNode node) =>
        node.Behaviour is IResumableActivity or IBlockingActivity
        || (node.Flow?.Activities.Any(Waits) ?? false)
        || node.Embedded.Values.Any(Waits);

    /// <summary>Tarjan's strongly connected components, iteratively (a large flowchart must not overflow the stack).</summary>
    private static List<List<string>> StronglyConnected(IReadOnlyList<string> vertices, ILookup<string, string> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        var next = 0;
        foreach (var root in vertices)
        {
            if (index.ContainsKey(root))
            {
                continue;
            }

            var work = new Stack<(string Vertex, IEnumerator<string> Targets)>();
            index[root] = low[root] = next++;
            stack.Push(root);
            onStack.Add(root);
            work.Push((root, edges[root].GetEnumerator()));
            while (work.Count > 0)
            {
                var (vertex, targets) = work.Peek();
                if (targets.MoveNext())
                {
                    var target = targets.Current;
                    if (!index.TryGetValue(target, out var targetIndex))
                    {
                        index[target] = low[target] = next++;
                        stack.Push(target);
                        onStack.Add(target);
                        work.Push((target, edges[target].GetEnumerator()));
                    }
                    else if (onStack.Contains(target))
                    {
                        low[vertex] = Math.Min(low[vertex], targetIndex);
                    }

                    continue;
                }

                work.Pop();
                targets.Dispose();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Vertex;
                    low[parent] = Math.Min(low[parent], low[vertex]);
                }

                if (low[vertex] == index[vertex])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != vertex);
                    result.Add(component);
                }
            }
        }

        return result;
    }
}
