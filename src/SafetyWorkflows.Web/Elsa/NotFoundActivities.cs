using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>
/// Elsa's <c>NotFoundActivity</c> placeholder, for the Studio only (Elsa.Workflows.Core
/// <c>Serialization/Converters/ActivityJsonConverter.cs</c>, <c>Activities/NotFoundActivity.cs</c>): an activity whose type
/// is not registered is sent to the Studio as <c>Elsa.NotFoundActivity</c> with <c>missingTypeName</c>,
/// <c>missingTypeVersion</c> and <c>originalActivityJson</c>, and the flowchart's connections to it move to the
/// flowchart's <c>customProperties.notFoundConnections</c> (the placeholder has none of the original's ports). When the
/// Studio saves, the original comes back exactly as it was stored, with the placeholder's designer position, and the
/// connections go back to their places. The stored definition and the export always hold the original.
/// </summary>
internal static class NotFoundActivities
{
    public const string TypeName = DefinitionLoader.NotFoundActivityType;
    private const string ConnectionsKey = "notFoundConnections";
    private const string IndexKey = "_index";
    private const string CreatedKey = "_notFoundConnectionsAdded";

    private static readonly AsyncLocal<SafetyWorkflows.Workflows.Activities.ActivityRegistry?> CurrentRegistry = new();

    private static readonly AsyncLocal<IReadOnlySet<string>?> CurrentDefinitionIds = new();

    /// <summary>The activity registry of the request being answered and, for a definitions request, the ids of the stored
    /// definitions (set by the Elsa API's endpoint filter).</summary>
    public static void Use(SafetyWorkflows.Workflows.Activities.ActivityRegistry registry, IReadOnlySet<string>? definitionIds = null)
    {
        CurrentRegistry.Value = registry;
        CurrentDefinitionIds.Value = definitionIds;
    }

    /// <summary>A workflow used as an activity is known while its definition exists; Elsa then has a descriptor for it,
    /// else it reads the node as a NotFoundActivity.</summary>
    private static bool IsKnownWorkflowActivity(JsonObject activity) =>
        WorkflowDefinitionActivities.IsWorkflowActivity(activity)
        && (CurrentDefinitionIds.Value is not { } ids || ids.Contains(activity.GetString("workflowDefinitionId")!));

    private static bool IsKnown(string type) => CurrentRegistry.Value?.Find(type) is not null || CurrentRegistry.Value is null;

    /// <summary>The Studio's view: unknown activities replaced by placeholders (a copy; <paramref name="root"/> is not changed).</summary>
    public static JsonObject Wrap(JsonObject root)
    {
        var copy = (JsonObject)root.DeepClone();
        WrapIn(copy);
        return copy;
    }

    /// <summary>The stored form of what the Studio sent: placeholders replaced by their originals, in place.</summary>
    public static void Unwrap(JsonObject activity)
    {
        if (activity.GetArray("activities") is { } children)
        {
            for (var i = 0; i < children.Count; i++)
            {
                if (children[i] is JsonObject child)
                {
                    if (Original(child) is { } original)
                    {
                        children[i] = original;
                        child = original;
                    }

                    Unwrap(child);
                }
            }

            if (activity.GetObject("customProperties")?[ConnectionsKey] is JsonArray moved && activity.GetArray("connections") is { } connections)
            {
                foreach (var connection in moved.OfType<JsonObject>().Where(c => c[IndexKey] is not null).OrderBy(c => c[IndexKey]!.GetValue<int>()).ToList())
                {
                    var index = connection[IndexKey]!.GetValue<int>();
                    var restored = (JsonObject)connection.DeepClone();
                    restored.Remove(IndexKey);
                    connections.Insert(Math.Min(index, connections.Count), restored);
                    moved.Remove(connection);
                }

                if (moved.Count == 0 && activity.GetObject("customProperties")![CreatedKey]?.GetValue<bool>() == true)
                {
                    activity.GetObject("customProperties")!.Remove(ConnectionsKey);
                }

                activity.GetObject("customProperties")!.Remove(CreatedKey);
            }
        }

        foreach (var (key, value) in activity.ToList())
        {
            if (key != "activities" && value is JsonObject nested && DefinitionWriter.IsActivityObject(nested))
            {
                if (Original(nested) is { } original)
                {
                    activity[key] = original;
                    nested = original;
                }

                Unwrap(nested);
            }
        }
    }

    private static void WrapIn(JsonObject activity)
    {
        if (activity.GetArray("activities") is { } children)
        {
            var unknown = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < children.Count; i++)
            {
                if (children[i] is not JsonObject child)
                {
                    continue;
                }

                if (IsUnknown(child))
                {
                    unknown.Add(child.GetString("id") ?? "");
                    children[i] = Placeholder(child);
                }
                else
                {
                    WrapIn(child);
                }
            }

            if (unknown.Count > 0 && activity.GetArray("connections") is { } connections)
            {
                var moved = new JsonArray();
                for (var i = connections.Count - 1; i >= 0; i--)
                {
                    if (connections[i] is JsonObject connection && (Touches(connection, "source", unknown) || Touches(connection, "target", unknown)))
                    {
                        var copy = (JsonObject)connection.DeepClone();
                        copy[IndexKey] = i;
                        moved.Insert(0, copy);
                        connections.RemoveAt(i);
                    }
                }

                if (activity.GetObject("customProperties") is not { } properties)
                {
                    properties = [];
                    activity["customProperties"] = properties;
                }

                if (properties[ConnectionsKey] is JsonArray existing)
                {
                    foreach (var connection in moved.ToList())
                    {
                        moved.Remove(connection);
                        existing.Add(connection);
                    }
                }
                else
                {
                    properties[ConnectionsKey] = moved;
                    properties[CreatedKey] = true;
                }
            }
        }

        foreach (var (key, value) in activity.ToList())
        {
            if (key != "activities" && value is JsonObject nested && DefinitionWriter.IsActivityObject(nested))
            {
                if (IsUnknown(nested))
                {
                    activity[key] = Placeholder(nested);
                }
                else
                {
                    WrapIn(nested);
                }
            }
        }
    }

    private static bool IsUnknown(JsonObject activity) =>
        activity.GetString("type") is { } type && type != TypeName && !IsKnown(type) && !IsKnownWorkflowActivity(activity);

    private static bool Touches(JsonObject connection, string end, HashSet<string> ids) =>
        connection.FirstOrDefault(p => string.Equals(p.Key, end, StringComparison.OrdinalIgnoreCase)).Value is JsonObject endpoint
        && endpoint.FirstOrDefault(p => string.Equals(p.Key, "activity", StringComparison.OrdinalIgnoreCase)).Value is { } id
        && ids.Contains(JsonRead.AsString(id) ?? "");

    private static JsonObject Placeholder(JsonObject original) => new()
    {
        ["id"] = original.GetString("id"),
        ["nodeId"] = original.GetString("nodeId"),
        ["name"] = original.GetString("name") ?? original.GetString("id"),
        ["type"] = TypeName,
        ["version"] = 1,
        ["customProperties"] = original.GetObject("customProperties")?.DeepClone() ?? new JsonObject(),
        ["metadata"] = original.GetObject("metadata")?.DeepClone() ?? new JsonObject(),
        ["missingTypeName"] = original.GetString("type"),
        ["missingTypeVersion"] = original.GetInt("version") ?? 1,
        ["originalActivityJson"] = original.ToJsonString(),
    };

    private static JsonObject? Original(JsonObject activity)
    {
        if (activity.GetString("type") != TypeName || activity.GetString("originalActivityJson") is not { } text || JsonRead.TryParse(text) is not JsonObject original)
        {
            return null;
        }

        if (activity.GetObject("metadata") is { } metadata)
        {
            original["metadata"] = metadata.DeepClone();
        }

        return original;
    }
}
