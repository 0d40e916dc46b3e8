using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>Reads Elsa 3 definition JSON (a Studio save body's <c>model</c>, an export file, or one of <c>workflows/*.json</c>).</summary>
public static class DefinitionReader
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "$schema", "id", "definitionId", "tenantId", "name", "description", "createdAt", "version", "toolVersion", "variables",
        "inputs", "outputs", "outcomes", "customProperties", "isReadonly", "isSystem", "isLatest", "isPublished", "options",
        "usableAsActivity", "root", "links", "materializerName", "materializerContext", "providerName", "stringData",
    };

    /// <summary>Parses text; <paramref name="source"/> names it in errors (a file name or the definition id).</summary>
    public static WorkflowDefinition Parse(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = StrictJson.Parse(json);
        }
        catch (StrictJsonException ex)
        {
            throw new DefinitionException(source, $"not valid JSON at {ex.JsonPath}: {ex.Reason}");
        }
        catch (JsonException ex)
        {
            throw new DefinitionException(source, $"not valid JSON: {ex.Message}");
        }

        if (node is not JsonObject obj)
        {
            throw new DefinitionException(source, "the definition must be a JSON object");
        }

        return Read(obj, source);
    }

    /// <summary>Maps a definition object to the model. Ids missing from a brand-new definition are generated.</summary>
    public static WorkflowDefinition Read(JsonObject json, string source)
    {
        var definitionId = json.GetString("definitionId");
        if (string.IsNullOrWhiteSpace(definitionId))
        {
            throw new DefinitionException(source, "'definitionId' is missing");
        }

        var root = json.Get("root") switch
        {
            null => throw new DefinitionException(source, "'root' is missing: a definition needs a root activity (an Elsa.Flowchart)"),
            JsonObject obj => obj,
            _ => throw new DefinitionException(source, "'root' must be an activity object (an Elsa.Flowchart)"),
        };
        var extra = new JsonObject();
        foreach (var (key, value) in json)
        {
            if (!KnownKeys.Contains(key))
            {
                extra[key] = value?.DeepClone();
            }
        }

        var options = json.GetObject("options");
        return new WorkflowDefinition
        {
            Id = json.GetString("id") is { Length: > 0 } id ? id : NewId(),
            DefinitionId = definitionId,
            TenantId = json.GetString("tenantId"),
            Name = json.GetString("name")?.Trim(),
            Description = json.GetString("description")?.Trim(),
            CreatedAt = ReadDate(json.Get("createdAt")),
            Version = json.GetInt("version") is > 0 and var version ? version : 1,
            ToolVersion = json.GetString("toolVersion"),
            Variables = ReadVariables(json.GetArray("variables")),
            Inputs = ReadArguments(json.GetArray("inputs")),
            Outputs = ReadArguments(json.GetArray("outputs")),
            Outcomes = json.GetArray("outcomes")?.Select(JsonRead.AsString).OfType<string>().ToList() ?? [],
            CustomProperties = json.GetObject("customProperties")?.CloneObject() ?? [],
            IsReadonly = json.GetBool("isReadonly") ?? false,
            IsSystem = json.GetBool("isSystem") ?? false,
            IsLatest = json.GetBool("isLatest") ?? false,
            IsPublished = json.GetBool("isPublished") ?? false,
            Options = ReadOptions(options, json.GetBool("usableAsActivity")),
            Root = root.CloneObject(),
            Extra = extra,
        };
    }

    public static IReadOnlyList<VariableDefinition> ReadVariables(JsonArray? array)
    {
        var result = new List<VariableDefinition>();
        foreach (var item in array ?? [])
        {
            if (JsonRead.AsObject(item) is not { } v)
            {
                continue;
            }

            var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "id", "name", "typeName", "isArray", "value", "storageDriverTypeName" };
            var extra = new JsonObject();
            foreach (var (key, value) in v.Where(p => !known.Contains(p.Key)))
            {
                extra[key] = value?.DeepClone();
            }

            var name = v.GetString("name") ?? "";
            result.Add(new VariableDefinition(
                v.GetString("id") is { Length: > 0 } id ? id : name,
                name,
                TypeAliases.Normalize(v.GetString("typeName")),
                v.GetBool("isArray") ?? false,
                JsonRead.AsString(v.Get("value")),
                v.GetString("storageDriverTypeName"))
            {
                Extra = extra,
            });
        }

        return result;
    }

    private static List<ArgumentDefinition> ReadArguments(JsonArray? array) =>
        (array ?? []).Select(JsonRead.AsObject).OfType<JsonObject>()
            .Select(a => new ArgumentDefinition(a.GetString("name") ?? "", TypeAliases.Normalize(a.GetString("type")), a.GetBool("isArray") ?? false, a.CloneObject()))
            .ToList();

    private static WorkflowOptions ReadOptions(JsonObject? options, bool? obsoleteUsableAsActivity)
    {
        if (options is null)
        {
            return new WorkflowOptions { UsableAsActivity = obsoleteUsableAsActivity };
        }

        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "activationStrategyType", "usableAsActivity", "autoUpdateConsumingWorkflows", "activityCategory", "incidentStrategyType", "commitStrategyName",
        };
        var extra = new JsonObject();
        foreach (var (key, value) in options.Where(p => !known.Contains(p.Key)))
        {
            extra[key] = value?.DeepClone();
        }

        return new WorkflowOptions
        {
            ActivationStrategyType = options.GetString("activationStrategyType"),
            UsableAsActivity = options.GetBool("usableAsActivity") ?? obsoleteUsableAsActivity,
            AutoUpdateConsumingWorkflows = options.GetBool("autoUpdateConsumingWorkflows") ?? false,
            ActivityCategory = options.GetString("activityCategory"),
            IncidentStrategyType = options.GetString("incidentStrategyType"),
            CommitStrategyName = options.GetString("commitStrategyName"),
            Extra = extra,
        };
    }

    private static DateTimeOffset ReadDate(JsonNode? node) =>
        JsonRead.AsString(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : DateTimeOffset.UnixEpoch;

    /// <summary>A new 16-hex-digit id, the form Elsa's identity generator produces.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..16];
}
