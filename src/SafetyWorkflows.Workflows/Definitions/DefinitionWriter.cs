using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>
/// Writes a definition as Elsa 3.8 writes it: camelCase keys in Elsa's order, null top-level fields left out, type names as
/// aliases, connection keys in camelCase and every activity with its <c>nodeId</c>, <c>customProperties</c> and
/// <c>metadata</c>. Unknown keys come back where they were.
/// </summary>
public static class DefinitionWriter
{
    public const string SchemaUrl = "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json";

    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The definition model as JSON; <paramref name="includeSchema"/> adds <c>$schema</c> as the export endpoint does.</summary>
    public static JsonObject Write(WorkflowDefinition definition, bool includeSchema = false)
    {
        var json = new JsonObject();
        if (includeSchema)
        {
            json["$schema"] = SchemaUrl;
        }

        json["id"] = definition.Id;
        json["definitionId"] = definition.DefinitionId;
        AddIfNotNull(json, "tenantId", definition.TenantId);
        AddIfNotNull(json, "name", definition.Name);
        AddIfNotNull(json, "description", definition.Description);
        json["createdAt"] = definition.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
        json["version"] = definition.Version;
        AddIfNotNull(json, "toolVersion", definition.ToolVersion);
        json["variables"] = WriteVariables(definition.Variables);
        json["inputs"] = new JsonArray(definition.Inputs.Select(i => (JsonNode)i.Json.CloneObject()).ToArray());
        json["outputs"] = new JsonArray(definition.Outputs.Select(o => (JsonNode)o.Json.CloneObject()).ToArray());
        json["outcomes"] = new JsonArray(definition.Outcomes.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray());
        json["customProperties"] = definition.CustomProperties.CloneObject();
        json["isReadonly"] = definition.IsReadonly;
        json["isSystem"] = definition.IsSystem;
        json["isLatest"] = definition.IsLatest;
        json["isPublished"] = definition.IsPublished;
        json["options"] = WriteOptions(definition.Options);
        foreach (var (key, value) in definition.Extra)
        {
            json[key] = value?.DeepClone();
        }

        json["root"] = NormaliseActivity(definition.Root, "Workflow1");
        return json;
    }

    public static string WriteString(WorkflowDefinition definition, bool includeSchema = false) =>
        Write(definition, includeSchema).ToJsonString(Indented);

    public static JsonArray WriteVariables(IEnumerable<VariableDefinition> variables) => new(variables.Select(v =>
    {
        var json = new JsonObject
        {
            ["id"] = v.Id,
            ["name"] = v.Name,
            ["typeName"] = v.TypeName,
            ["isArray"] = v.IsArray,
            ["value"] = v.Value,
            ["storageDriverTypeName"] = v.StorageDriverTypeName,
        };
        foreach (var (key, value) in v.Extra)
        {
            json[key] = value?.DeepClone();
        }

        return (JsonNode)json;
    }).ToArray());

    private static JsonObject WriteOptions(WorkflowOptions options)
    {
        var json = new JsonObject();
        AddIfNotNull(json, "activationStrategyType", options.ActivationStrategyType);
        if (options.UsableAsActivity is { } usable)
        {
            json["usableAsActivity"] = usable;
        }

        json["autoUpdateConsumingWorkflows"] = options.AutoUpdateConsumingWorkflows;
        AddIfNotNull(json, "activityCategory", options.ActivityCategory);
        AddIfNotNull(json, "incidentStrategyType", options.IncidentStrategyType);
        AddIfNotNull(json, "commitStrategyName", options.CommitStrategyName);
        foreach (var (key, value) in options.Extra)
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    /// <summary>
    /// Copies an activity, recomputing <c>nodeId</c> from its ancestors (Elsa's server does the same), adding the common
    /// keys Studio omits on new nodes, and writing connection keys in camelCase. Nested activities (flowchart children,
    /// embedded ports) are normalised recursively.
    /// </summary>
    public static JsonObject NormaliseActivity(JsonObject activity, string parentNodeId)
    {
        var copy = new JsonObject();
        var id = activity.GetString("id") ?? "";
        var nodeId = $"{parentNodeId}:{id}";
        foreach (var (key, value) in activity)
        {
            var lower = key.Length > 0 ? char.ToLowerInvariant(key[0]) + key[1..] : key;
            switch (lower)
            {
                case "activities" when value is JsonArray children:
                    // An entry that is not an object cannot run (the loader refuses it) but a draft keeps it as it was.
                    copy["activities"] = new JsonArray(children.Select(c => c is JsonObject child ? NormaliseActivity(child, nodeId) : c?.DeepClone()).ToArray());
                    break;
                case "connections" when value is JsonArray connections:
                    copy["connections"] = new JsonArray(connections.Select(c => c is JsonObject connection ? NormaliseConnection(connection) : c?.DeepClone()).ToArray());
                    break;
                case "nodeId":
                    copy["nodeId"] = nodeId;
                    break;
                default:
                    copy[key] = value is JsonObject nested && IsActivityObject(nested) ? NormaliseActivity(nested, nodeId) : value?.DeepClone();
                    break;
            }
        }

        copy["nodeId"] ??= nodeId;
        copy["version"] ??= 1;
        copy["customProperties"] ??= new JsonObject();
        copy["metadata"] ??= new JsonObject();
        return copy;
    }

    /// <summary>An embedded activity (e.g. a loop's <c>body</c>) looks like an activity: it has an id and a dotted type
    /// name, or it is a workflow used as an activity (its type is the workflow's name, it names a <c>workflowDefinitionId</c>).</summary>
    public static bool IsActivityObject(JsonObject json) =>
        json.GetString("type") is { Length: > 0 } type
        && (type.Contains('.', StringComparison.Ordinal) || Activities.WorkflowDefinitionActivities.IsWorkflowActivity(json))
        && json.GetString("id") is { Length: > 0 } && json.Get("expression") is null;

    public static JsonObject NormaliseConnection(JsonObject connection)
    {
        var source = connection.GetObject("source");
        var target = connection.GetObject("target");
        var json = new JsonObject
        {
            ["source"] = Endpoint(source),
            ["target"] = Endpoint(target),
            ["vertices"] = connection.GetArray("vertices")?.DeepClone() ?? new JsonArray(),
        };
        foreach (var (key, value) in connection.Where(p => p.Key is not ("source" or "Source" or "target" or "Target" or "vertices" or "Vertices")))
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    // A port that was not written stays unwritten: Elsa reads a missing source port as Done and target port as In.
    private static JsonObject Endpoint(JsonObject? endpoint)
    {
        var json = new JsonObject { ["activity"] = endpoint?.GetString("activity") };
        if (endpoint?.KeyOf("port") is not null)
        {
            json["port"] = endpoint.GetString("port");
        }

        return json;
    }

    private static void AddIfNotNull(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }
}
