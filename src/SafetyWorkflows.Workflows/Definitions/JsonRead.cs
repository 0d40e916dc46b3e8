using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>
/// Lenient reading of Elsa JSON, as Elsa itself reads it: keys match case-insensitively, booleans may arrive as
/// <c>"True"</c>/<c>"False"</c>, numbers as strings, and JSON objects as strings holding JSON.
/// </summary>
public static class JsonRead
{
    /// <summary>Finds a property by name, ignoring case (Elsa accepts PascalCase and camelCase keys).</summary>
    public static JsonNode? Get(this JsonObject json, string name)
    {
        if (json.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in json)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The actual key under which <paramref name="name"/> is stored, or null.</summary>
    public static string? KeyOf(this JsonObject json, string name) =>
        json.ContainsKey(name) ? name : json.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    public static string? GetString(this JsonObject json, string name) => AsString(json.Get(name));

    public static bool? GetBool(this JsonObject json, string name) => AsBool(json.Get(name));

    public static int? GetInt(this JsonObject json, string name) => AsInt(json.Get(name));

    public static JsonObject? GetObject(this JsonObject json, string name) => AsObject(json.Get(name));

    public static JsonArray? GetArray(this JsonObject json, string name) => AsArray(json.Get(name));

    public static string? AsString(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Null => null,
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    public static bool? AsBool(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(value.GetValue<string>().Trim(), out var parsed) ? parsed : null,
            JsonValueKind.Number => value.GetValue<double>() != 0,
            _ => null,
        };
    }

    public static int? AsInt(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number when value.TryGetValue<int>(out var number) => number,
            JsonValueKind.Number => (int)value.GetValue<double>(),
            JsonValueKind.String when int.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>An object, or a string holding a JSON object (as Studio writes Variable and Input expressions).</summary>
    public static JsonObject? AsObject(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            return obj;
        }

        return AsString(node) is { } text && text.TrimStart().StartsWith('{') && TryParse(text) is JsonObject parsed ? parsed : null;
    }

    /// <summary>An array, or a string holding a JSON array (as Studio writes Object expressions for lists).</summary>
    public static JsonArray? AsArray(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            return array;
        }

        return AsString(node) is { } text && text.TrimStart().StartsWith('[') && TryParse(text) is JsonArray parsed ? parsed : null;
    }

    public static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A deep copy, so that a model never shares nodes with the document it was read from.</summary>
    public static JsonObject CloneObject(this JsonObject json) => (JsonObject)json.DeepClone();
}
