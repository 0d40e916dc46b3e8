using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>One activity of a loaded workflow: identity, its JSON (inputs are read from it when it runs), its behaviour,
/// and its children (a flowchart's graph, or embedded ports such as a loop's <c>body</c>).</summary>
public sealed class ActivityNode
{
    internal ActivityNode(JsonObject json, string nodeId, ActivityNode? parent, IActivity behaviour)
    {
        Json = json;
        Id = json.GetString("id") ?? "";
        NodeId = nodeId;
        Name = json.GetString("name");
        Type = json.GetString("type") ?? "";
        Version = json.GetInt("version") ?? 1;
        Parent = parent;
        Behaviour = behaviour;
        CustomProperties = json.GetObject("customProperties") ?? [];
    }

    public string Id { get; }

    public string NodeId { get; }

    public string? Name { get; }

    public string Type { get; }

    public int Version { get; }

    public JsonObject Json { get; }

    public JsonObject CustomProperties { get; }

    public ActivityNode? Parent { get; }

    public IActivity Behaviour { get; }

    /// <summary>For an <c>Elsa.Flowchart</c>: its children and connections.</summary>
    public FlowGraph? Flow { get; internal set; }

    /// <summary>Embedded ports (<c>body</c>, <c>then</c>, <c>else</c>) by camelCase property name.</summary>
    public IReadOnlyDictionary<string, ActivityNode> Embedded { get; internal set; } = new Dictionary<string, ActivityNode>();

    /// <summary>Container-scoped variables this activity declares (a flowchart's <c>variables</c>).</summary>
    public IReadOnlyList<VariableDefinition> Variables { get; internal set; } = [];

    public bool CanStartWorkflow => JsonRead.AsBool(CustomProperties.Get("canStartWorkflow")) ?? false;

    /// <summary>The wrapped or raw input stored under the camelCase property name.</summary>
    public JsonNode? Input(string name) => Json.Get(name);

    public override string ToString() => $"{Type} '{Id}'";
}

/// <summary>A connection between two activities of one flowchart.</summary>
public sealed record FlowConnection(ActivityNode Source, string? SourcePort, ActivityNode Target, string TargetPort)
{
    /// <summary>Set by graph analysis: the connection closes a loop (Elsa: a backward connection).</summary>
    public bool IsBackward { get; internal set; }

    /// <summary>Whether an activity that completed with <paramref name="outcomes"/> follows this connection.</summary>
    public bool IsFollowedBy(IReadOnlyCollection<string> outcomes) =>
        SourcePort is null or "" ? outcomes.Contains("Done") : outcomes.Contains(SourcePort);
}

/// <summary>A flowchart's graph with Elsa's analysis: the start node, forward and backward connections.</summary>
public sealed class FlowGraph
{
    internal FlowGraph(IReadOnlyList<ActivityNode> activities, IReadOnlyList<FlowConnection> connections)
    {
        Activities = activities;
        Connections = connections;
        Outbound = connections.ToLookup(c => c.Source.Id);
        Inbound = connections.ToLookup(c => c.Target.Id);
    }

    public IReadOnlyList<ActivityNode> Activities { get; }

    public IReadOnlyList<FlowConnection> Connections { get; }

    public ILookup<string, FlowConnection> Outbound { get; }

    public ILookup<string, FlowConnection> Inbound { get; }

    public ActivityNode? Find(string activityId) => Activities.FirstOrDefault(a => a.Id == activityId);

    public IEnumerable<FlowConnection> ForwardInbound(ActivityNode target) => Inbound[target.Id].Where(c => !c.IsBackward);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<FlowConnection>> _forwardFrom = new(StringComparer.Ordinal);

    /// <summary>
    /// The forward inbound connections of <paramref name="target"/> in a run that started at <paramref name="start"/>:
    /// only those reachable from that start count (Elsa builds its <c>FlowGraph</c> per start activity, so a node fed by
    /// Start and by a trigger does not wait for the Start path when the trigger started the run).
    /// </summary>
    public IEnumerable<FlowConnection> ForwardInbound(ActivityNode target, ActivityNode? start)
    {
        if (start is null)
        {
            return ForwardInbound(target);
        }

        var forward = ForwardFrom(start);
        return Inbound[target.Id].Where(c => !c.IsBackward && forward.Contains(c));
    }

    /// <summary>
    /// Elsa's dangling activity for a run from <paramref name="start"/>: not the start, and no forward connection from
    /// the start reaches it, though it has inbound connections (one with none is another entry point, never dangling).
    /// </summary>
    public bool IsDangling(ActivityNode node, ActivityNode? start)
    {
        var from = start ?? StartNode();
        return node != from && !ForwardInbound(node, from).Any() && Inbound[node.Id].Any();
    }

    private HashSet<FlowConnection> ForwardFrom(ActivityNode start) => _forwardFrom.GetOrAdd(start.Id, _ =>
    {
        var forward = new HashSet<FlowConnection>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Id };
        var pending = new Stack<ActivityNode>([start]);
        while (pending.TryPop(out var node))
        {
            foreach (var connection in Outbound[node.Id].Where(c => !c.IsBackward))
            {
                forward.Add(connection);
                if (seen.Add(connection.Target.Id))
                {
                    pending.Push(connection.Target);
                }
            }
        }

        return forward;
    });

    /// <summary>
    /// Elsa's start node: the trigger that started the instance, else the first <c>Elsa.Start</c>, else the first activity
    /// marked <c>canStartWorkflow</c>, else the first without inbound connections, else the first.
    /// </summary>
    public ActivityNode? StartNode(string? triggerActivityId = null)
    {
        if (triggerActivityId is not null && Find(triggerActivityId) is { } trigger)
        {
            return trigger;
        }

        return Activities.FirstOrDefault(a => a.Type == "Elsa.Start")
            ?? Activities.FirstOrDefault(a => a.CanStartWorkflow)
            ?? Activities.FirstOrDefault(a => !Inbound[a.Id].Any())
            ?? (Activities.Count > 0 ? Activities[0] : null);
    }
}
