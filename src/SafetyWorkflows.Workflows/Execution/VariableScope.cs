using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// Variable storage for one execution, as Elsa's storage drivers keep it. A variable is owned by the context of the
/// activity that declares it: workflow variables by the root <c>Elsa.Workflow</c> context, a flowchart's by the
/// flowchart's context. With the instance storage driver its value is persisted in that context's
/// <c>properties.Variables</c> (keyed by variable id); with the memory driver, or none, it lives for the run only and
/// reverts to its declared initial value after a suspend.
/// </summary>
public sealed class VariableScope
{
    public const string PropertyKey = "Variables";

    private readonly Dictionary<string, object?> _memory = new(StringComparer.Ordinal);

    /// <summary>Variables visible from a context, innermost first, with the context that owns each.</summary>
    public static IEnumerable<(ActivityExecutionContext Owner, VariableDefinition Variable)> InScope(ActivityExecutionContext context)
    {
        for (var current = context; current is not null; current = current.Parent)
        {
            foreach (var variable in current.Node.Variables)
            {
                yield return (current, variable);
            }

            if (current.Parent is null && current.Properties[PropertyKey] is JsonObject stored)
            {
                var declared = current.Node.Variables.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var (key, _) in stored.Where(p => !declared.Contains(p.Key)))
                {
                    yield return (current, Dynamic(key));
                }
            }
        }
    }

    public bool TryFindById(ActivityExecutionContext context, string id, out VariableDefinition variable)
    {
        foreach (var (_, v) in InScope(context).Where(x => x.Variable.Id == id))
        {
            variable = v;
            return true;
        }

        variable = null!;
        return false;
    }

    public bool TryGetByName(ActivityExecutionContext context, string name, out object? value)
    {
        foreach (var (owner, v) in InScope(context).Where(x => x.Variable.Name == name))
        {
            value = Read(owner, v);
            return true;
        }

        value = null;
        return false;
    }

    public object? GetById(ActivityExecutionContext context, string id)
    {
        foreach (var (owner, v) in InScope(context).Where(x => x.Variable.Id == id))
        {
            return Read(owner, v);
        }

        throw new InvalidOperationException($"variable '{id}' is not in scope");
    }

    public void SetById(ActivityExecutionContext context, string id, object? value)
    {
        foreach (var (owner, v) in InScope(context).Where(x => x.Variable.Id == id))
        {
            Write(owner, v, value);
            return;
        }

        throw new InvalidOperationException($"variable '{id}' is not in scope");
    }

    /// <summary>Sets by name; an unknown name creates a workflow-level variable (Elsa's <c>setVariable</c> does the same).</summary>
    public void SetByName(ActivityExecutionContext context, string name, object? value)
    {
        foreach (var (owner, v) in InScope(context).Where(x => x.Variable.Name == name))
        {
            Write(owner, v, value);
            return;
        }

        var root = context;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        Write(root, Dynamic(name), value);
    }

    public IReadOnlyCollection<string> NamesInScope(ActivityExecutionContext context) =>
        InScope(context).Select(x => x.Variable.Name).Distinct(StringComparer.Ordinal).ToList();

    internal object? Read(ActivityExecutionContext owner, VariableDefinition variable)
    {
        if (!IsPersisted(variable))
        {
            return _memory.TryGetValue(Key(owner, variable), out var value) ? value : InitialValue(variable);
        }

        return owner.Properties[PropertyKey] is JsonObject stored && stored.TryGetPropertyValue(variable.Id, out var node) && node is not null
            ? Convert(variable, Values.FromJson(node))
            : InitialValue(variable);
    }

    private void Write(ActivityExecutionContext owner, VariableDefinition variable, object? value)
    {
        var converted = Convert(variable, value);
        if (!IsPersisted(variable))
        {
            _memory[Key(owner, variable)] = converted;
            return;
        }

        if (owner.Properties[PropertyKey] is not JsonObject stored)
        {
            stored = [];
            owner.Properties[PropertyKey] = stored;
        }

        if (converted is null)
        {
            stored.Remove(variable.Id);
        }
        else
        {
            stored[variable.Id] = Values.ToJson(converted);
        }
    }

    private static VariableDefinition Dynamic(string name) =>
        new(name, name, "Object", false, null, "WorkflowInstanceStorageDriver");

    private static string Key(ActivityExecutionContext owner, VariableDefinition variable) => $"{owner.Id}:{variable.Id}";

    /// <summary>Persisted with the instance: the instance driver in its 3.8 or 3.7 spelling, or the obsolete workflow driver.</summary>
    public static bool IsPersisted(VariableDefinition variable) =>
        variable.StorageDriverTypeName is { } driver
        && (driver.Contains("WorkflowInstanceStorageDriver", StringComparison.Ordinal) || driver.Contains("WorkflowStorageDriver", StringComparison.Ordinal));

    private static object? Convert(VariableDefinition variable, object? value) =>
        Values.ConvertTo(value, variable.IsArray ? $"List<{variable.TypeName}>" : variable.TypeName);

    private static object? InitialValue(VariableDefinition variable) => Convert(variable, variable.Value);
}
