using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>
/// Turns a definition into a runnable <see cref="Workflow"/>, refusing what cannot run: an unknown activity type, a
/// duplicate id, a connection to a missing activity, a JavaScript or Liquid syntax error, an invalid backward
/// connection, a root that is not a flowchart. Every problem is reported with the activity id and reason.
/// </summary>
public sealed class DefinitionLoader(ActivityRegistry registry, InputEvaluator inputs)
{
    public const string NotFoundActivityType = "Elsa.NotFoundActivity";

    private const string ForEachStorageDriver = "Elsa.Workflows.Runtime.StorageDrivers.WorkflowInstanceStorageDriver, Elsa.Workflows.Runtime";

    /// <summary>Expression types the input evaluator handles itself (the rest need a registered evaluator).</summary>
    private static readonly HashSet<string> BuiltInExpressionTypes = new(StringComparer.OrdinalIgnoreCase) { "Literal", "Object", "Json", "Variable", "Input" };

    private static readonly HashSet<string> EmbeddedPorts = new(StringComparer.OrdinalIgnoreCase) { "body", "then", "else" };

    /// <summary>Loads and validates; <paramref name="source"/> names the definition in errors (file name or id).</summary>
    public Workflow Load(WorkflowDefinition definition, string? source = null)
    {
        source ??= $"'{definition.DefinitionId}'";
        var errors = new List<DefinitionError>();
        var nodes = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        var rootType = definition.Root.GetString("type");
        if (rootType is not (Flowchart.TypeName or Sequence.TypeName))
        {
            throw new DefinitionException(source, $"the root activity must be {Flowchart.TypeName} or {Sequence.TypeName}, not '{rootType ?? "(none)"}'");
        }

        // Elsa wraps the root in an implicit Workflow activity (node id "Workflow1"); its context owns the workflow variables.
        var workflowJson = new JsonObject { ["id"] = WorkflowRoot.NodeId, ["name"] = WorkflowRoot.NodeId, ["type"] = WorkflowRoot.TypeName, ["version"] = 1 };
        var workflowNode = new ActivityNode(workflowJson, WorkflowRoot.NodeId, null, new WorkflowRoot()) { Variables = definition.Variables };
        nodes[workflowNode.NodeId] = workflowNode;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var root = Build(definition.Root, WorkflowRoot.NodeId, workflowNode, nodes, ids, errors);
        ValidateVariables(definition, errors);
        if (errors.Count > 0 || root is null)
        {
            throw new DefinitionException(source, errors.Count > 0 ? errors : [new DefinitionError(null, "the root activity is invalid")]);
        }

        workflowNode.Embedded = new Dictionary<string, ActivityNode> { ["root"] = root };
        return new Workflow(definition, workflowNode, nodes);
    }

    /// <summary>Checks a definition without keeping the result: the errors, or none.</summary>
    public IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition)
    {
        try
        {
            Load(definition);
            return [];
        }
        catch (DefinitionException ex)
        {
            return ex.Errors;
        }
    }

    private ActivityNode? Build(JsonObject json, string parentNodeId, ActivityNode? parent, Dictionary<string, ActivityNode> nodes, HashSet<string> ids, List<DefinitionError> errors)
    {
        var id = json.GetString("id");
        var type = json.GetString("type");
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add(new DefinitionError(null, $"an activity of type '{type}' has no id"));
            return null;
        }

        if (!ids.Add(id))
        {
            errors.Add(new DefinitionError(id, "duplicate activity id"));
            return null;
        }

        if (string.IsNullOrWhiteSpace(type))
        {
            errors.Add(new DefinitionError(id, "the activity has no type"));
            return null;
        }

        var registration = registry.Find(json);
        if (registration is null)
        {
            var missing = type == NotFoundActivityType ? json.GetString("missingTypeName") ?? type : type;
            errors.Add(new DefinitionError(id, $"unknown activity type '{missing}'"));
            return null;
        }

        var node = new ActivityNode(json, $"{parentNodeId}:{id}", parent, registration.Behaviour);
        nodes[node.NodeId] = node;
        ValidateExpressions(node, errors);
        if (registration.Behaviour is IValidatingActivity validating)
        {
            errors.AddRange(validating.Validate(node).Select(reason => new DefinitionError(id, reason)));
        }

        if (type == Flowchart.TypeName)
        {
            BuildFlowchart(node, nodes, ids, errors);
        }

        if (registration.Behaviour is ForEach)
        {
            node.Variables =
            [
                // Kept in the loop's context with the instance (Elsa keeps them in the loop's variable container), so they
                // still hold the current item after a bookmark inside the body suspends and resumes the instance.
                new VariableDefinition("CurrentIndex", "CurrentIndex", "Int32", false, null, ForEachStorageDriver),
                new VariableDefinition("CurrentValue", "CurrentValue", "Object", false, null, ForEachStorageDriver),
            ];
        }

        var embedded = new Dictionary<string, ActivityNode>(StringComparer.OrdinalIgnoreCase);
        if (registration.Behaviour is IChildListActivity lists)
        {
            node.Variables = [.. node.Variables, .. DefinitionReader.ReadVariables(json.GetArray("variables"))];
            foreach (var (key, child) in lists.Children(json))
            {
                if (Build(child, node.NodeId, node, nodes, ids, errors) is { } built)
                {
                    embedded[key] = built;
                }
            }
        }

        foreach (var (key, value) in json)
        {
            if (EmbeddedPorts.Contains(key) && value is JsonObject child && DefinitionWriter.IsActivityObject(child))
            {
                if (Build(child, node.NodeId, node, nodes, ids, errors) is { } built)
                {
                    embedded[char.ToLowerInvariant(key[0]) + key[1..]] = built;
                }
            }
        }

        if (registration.Behaviour is ParallelForEach && embedded.TryGetValue("body", out var parallelBody))
        {
            // Each body run owns its CurrentIndex/CurrentValue (Elsa sets them on every branch's own context).
            parallelBody.Variables =
            [
                .. parallelBody.Variables,
                new VariableDefinition("CurrentIndex", "CurrentIndex", "Int32", false, null, ForEachStorageDriver),
                new VariableDefinition("CurrentValue", "CurrentValue", "Object", false, null, ForEachStorageDriver),
            ];
        }

        node.Embedded = embedded;
        return node;
    }

    private void BuildFlowchart(ActivityNode flowchart, Dictionary<string, ActivityNode> nodes, HashSet<string> ids, List<DefinitionError> errors)
    {
        var children = new List<ActivityNode>();
        foreach (var key in new[] { "activities", "connections" })
        {
            if (flowchart.Json.Get(key) is { } value and not JsonArray)
            {
                errors.Add(new DefinitionError(flowchart.Id, $"'{key}' must be an array"));
            }
        }

        foreach (var item in flowchart.Json.GetArray("activities") ?? [])
        {
            if (item is not JsonObject childJson)
            {
                errors.Add(new DefinitionError(flowchart.Id, "an entry of 'activities' is not an object"));
                continue;
            }

            if (Build(childJson, flowchart.NodeId, flowchart, nodes, ids, errors) is { } child)
            {
                children.Add(child);
            }
        }

        var byId = children.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var connections = new List<FlowConnection>();
        foreach (var item in flowchart.Json.GetArray("connections") ?? [])
        {
            if (item is not JsonObject connection)
            {
                errors.Add(new DefinitionError(flowchart.Id, "an entry of 'connections' is not an object"));
                continue;
            }

            var source = connection.GetObject("source");
            var target = connection.GetObject("target");
            var sourceId = source?.GetString("activity");
            var targetId = target?.GetString("activity");
            var sourceNode = sourceId is null ? null : byId.GetValueOrDefault(sourceId);
            var targetNode = targetId is null ? null : byId.GetValueOrDefault(targetId);
            if (sourceNode is null || targetNode is null)
            {
                // Elsa drops such a connection silently; a path that quietly vanishes is worse than a clear refusal.
                var missing = sourceNode is null ? sourceId : targetId;
                var where = ids.Contains(missing ?? "") ? "an activity outside this flowchart" : "a missing activity";
                errors.Add(new DefinitionError(sourceNode is null ? targetId : sourceId,
                    $"a connection {sourceId ?? "?"} → {targetId ?? "?"} refers to {where} '{missing ?? "(none)"}'"));
                continue;
            }

            connections.Add(new FlowConnection(sourceNode, source?.GetString("port"), targetNode, target?.GetString("port") ?? "In"));
        }

        var graph = new FlowGraph(children, connections);
        FlowAnalysis.MarkBackwardConnections(graph, errors);
        foreach (var child in children)
        {
            if (child.Behaviour is IValidatingActivity validating)
            {
                errors.AddRange(validating.ValidateConnections(child, graph).Select(reason => new DefinitionError(child.Id, reason)));
            }
        }

        flowchart.Flow = graph;
        flowchart.Variables = DefinitionReader.ReadVariables(flowchart.Json.GetArray("variables"));
    }

    /// <summary>JavaScript and Liquid inputs must parse; the message names the input.</summary>
    private void ValidateExpressions(ActivityNode node, List<DefinitionError> errors)
    {
        // RunJavaScript's script is code whatever syntax the input names (Studio saves it as Literal): it must parse too.
        if (node.Type == "Elsa.RunJavaScript" && inputs.Find("JavaScript") is { } javaScript)
        {
            var raw = node.Json["script"];
            var code = raw is JsonObject wrapped && wrapped.GetObject("expression") is { } e ? JsonRead.AsString(e.Get("value")) : JsonRead.AsString(raw);
            var declared = (raw as JsonObject)?.GetObject("expression")?.GetString("type");
            if (!string.IsNullOrWhiteSpace(code) && declared != "JavaScript" && javaScript.CheckSyntax(code) is { } syntax)
            {
                errors.Add(new DefinitionError(node.Id, $"input 'script' has a JavaScript syntax error: {syntax}"));
            }
        }

        foreach (var (key, value) in node.Json)
        {
            foreach (var (type, script) in Expressions(value))
            {
                if (!BuiltInExpressionTypes.Contains(type) && inputs.Find(type) is null)
                {
                    // Elsa would run C# or Python with its own modules; this runtime has no evaluator for them, so such a
                    // definition is refused at publish rather than faulting when the activity runs.
                    errors.Add(new DefinitionError(node.Id, $"input '{key}' uses a {type} expression, which this runtime does not evaluate (use JavaScript or Liquid)"));
                    continue;
                }

                if (inputs.Find(type) is { } evaluator && evaluator.CheckSyntax(script) is { } problem)
                {
                    errors.Add(new DefinitionError(node.Id, $"input '{key}' has a {type} syntax error: {problem}"));
                }
            }
        }
    }

    private static IEnumerable<(string Type, string Script)> Expressions(JsonNode? value)
    {
        if (value is JsonObject wrapped && wrapped.GetObject("expression") is { } expression && !DefinitionWriter.IsActivityObject(wrapped))
        {
            if (expression.GetString("type") is { } type && JsonRead.AsString(expression.Get("value")) is { } script)
            {
                yield return (type, script);
            }
        }
        else if (value is JsonArray cases)
        {
            foreach (var @case in cases.OfType<JsonObject>())
            {
                if (@case.GetObject("condition") is { } condition && condition.GetString("type") is { } type && JsonRead.AsString(condition.Get("value")) is { } script)
                {
                    yield return (type, script);
                }
            }
        }
    }

    private static void ValidateVariables(WorkflowDefinition definition, List<DefinitionError> errors)
    {
        foreach (var duplicate in definition.Variables.GroupBy(v => v.Id).Where(g => g.Count() > 1))
        {
            errors.Add(new DefinitionError(null, $"variable id '{duplicate.Key}' is declared twice"));
        }

        foreach (var variable in definition.Variables.Where(v => v.Value is not null))
        {
            try
            {
                Values.ConvertTo(variable.Value, variable.IsArray ? $"List<{variable.TypeName}>" : variable.TypeName);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                errors.Add(new DefinitionError(null, $"variable '{variable.Name}' has a default '{variable.Value}' that is not a {variable.TypeName}"));
            }
        }
    }
}

/// <summary>Elsa's flowchart graph analysis: which connections are loops, and whether each loop is well-formed.</summary>
internal static class FlowAnalysis
{
    /// <summary>
    /// Walks the graph breadth-first from the start node; a connection into a node that can already reach its source
    /// closes a cycle and is backward. A backward connection is valid only if its target lies on every path from the
    /// start to its source (the loop has one entry).
    /// </summary>
    public static void MarkBackwardConnections(FlowGraph graph, List<DefinitionError> errors)
    {
        var start = graph.StartNode();
        if (start is null)
        {
            return;
        }

        var forward = new HashSet<FlowConnection>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { start.Id };
        var queue = new Queue<ActivityNode>([start]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var connection in graph.Outbound[node.Id])
            {
                if (Reaches(connection.Target, node, forward))
                {
                    connection.IsBackward = true;
                    continue;
                }

                forward.Add(connection);
                if (visited.Add(connection.Target.Id))
                {
                    queue.Enqueue(connection.Target);
                }
            }
        }

        foreach (var connection in graph.Connections.Where(c => c.IsBackward))
        {
            if (ReachableAvoiding(start, connection.Source, connection.Target, graph))
            {
                errors.Add(new DefinitionError(connection.Source.Id,
                    $"invalid backward connection {connection.Source.Id} → {connection.Target.Id}: '{connection.Source.Id}' can be reached without passing '{connection.Target.Id}'"));
            }
        }
    }

    private static bool Reaches(ActivityNode from, ActivityNode to, HashSet<FlowConnection> forward)
    {
        if (from == to)
        {
            return true;
        }

        var seen = new HashSet<ActivityNode> { from };
        var stack = new Stack<ActivityNode>([from]);
        while (stack.TryPop(out var node))
        {
            foreach (var connection in forward.Where(c => c.Source == node))
            {
                if (connection.Target == to)
                {
                    return true;
                }

                if (seen.Add(connection.Target))
                {
                    stack.Push(connection.Target);
                }
            }
        }

        return false;
    }

    private static bool ReachableAvoiding(ActivityNode start, ActivityNode goal, ActivityNode avoid, FlowGraph graph)
    {
        if (start == avoid)
        {
            return false;
        }

        var seen = new HashSet<ActivityNode> { start };
        var stack = new Stack<ActivityNode>([start]);
        while (stack.TryPop(out var node))
        {
            if (node == goal)
            {
                return true;
            }

            foreach (var connection in graph.Outbound[node.Id])
            {
                if (connection.Target != avoid && seen.Add(connection.Target))
                {
                    stack.Push(connection.Target);
                }
            }
        }

        return false;
    }
}
