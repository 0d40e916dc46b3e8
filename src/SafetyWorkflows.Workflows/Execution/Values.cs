using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// The runtime's value model and conversions. A value is null, string, bool, long, double, decimal, DateTimeOffset,
/// TimeSpan, Guid, or a <see cref="JsonNode"/> (object or array). Values are converted to an input's or variable's
/// type alias (<see cref="TypeAliases"/>) leniently, as Elsa's converter does (strings parse into numbers, booleans,
/// times; JSON text parses into objects and lists).
/// </summary>
public static class Values
{
    /// <summary>Turns a JSON node into the runtime value model (scalars become .NET values).</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value => FromJsonValue(value),
        _ => node.DeepClone(),
    };

    // A JsonValue may wrap a JsonElement (parsed text) or any CLR primitive (built in code); read either the same way.
    private static object? FromJsonValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.TryGetValue<string>(out var s) ? s : value.ToString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Number:
                using (var document = JsonDocument.Parse(value.ToJsonString()))
                {
                    var element = document.RootElement;
                    return element.TryGetInt64(out var l) ? l : element.GetDouble();
                }

            default:
                return value.ToJsonString();
        }
    }

    /// <summary>Turns a runtime value into JSON for persistence or an API answer.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        float f => JsonValue.Create((double)f),
        decimal m => JsonValue.Create(m),
        short s16 => JsonValue.Create(s16),
        DateTimeOffset dto => JsonValue.Create(JsonSerializer.Serialize(dto).Trim('"')),
        DateTime dt => JsonValue.Create(JsonSerializer.Serialize(dt).Trim('"')),
        TimeSpan ts => JsonValue.Create(ts.ToString("c", CultureInfo.InvariantCulture)),
        Guid g => JsonValue.Create(g.ToString()),
        System.Collections.IDictionary dictionary => new JsonObject(dictionary.Keys.Cast<object>().Select(k =>
            KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture)!, ToJson(dictionary[k])))),
        System.Collections.IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonSerializer.SerializeToNode(value),
    };

    /// <summary>Converts to the type named by an Elsa alias. Throws <see cref="FormatException"/> when it cannot.</summary>
    public static object? ConvertTo(object? value, string? typeAlias)
    {
        var alias = TypeAliases.Normalize(typeAlias);
        if (alias.EndsWith('?'))
        {
            alias = alias[..^1];
        }

        if (value is JsonValue jsonValue)
        {
            value = FromJson(jsonValue);
        }

        if (TypeAliases.ElementType(alias) is { } elementType && alias != "ByteArray")
        {
            return ToList(value, elementType);
        }

        if (value is null)
        {
            return DefaultOf(alias);
        }

        return alias switch
        {
            "String" => AsText(value),
            "Boolean" => ToBoolean(value),
            "Int16" or "Int32" or "Int64" => ToLong(value),
            "Single" or "Double" => ToDouble(value),
            "Decimal" => value is decimal m ? m : decimal.Parse(AsText(value)!, NumberStyles.Float, CultureInfo.InvariantCulture),
            "TimeSpan" => ToTimeSpan(value),
            "DateTimeOffset" => ToDateTimeOffset(value),
            "DateTime" => value switch
            {
                DateTime dt => dt,
                DateTimeOffset dto => dto.UtcDateTime,
                _ => DateTime.Parse(AsText(value)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            },
            "Guid" => value is Guid g ? g : Guid.Parse(AsText(value)!),
            "Object" => value,
            "JSON" or "JsonNode" or "JsonElement" or "JsonObject" or "ObjectDictionary" or "StringDictionary" or "ObjectMap" or "StringMap" or "ExpandoObject"
                => value is string json ? JsonRead.TryParse(json) ?? (object)json : value,
            "JsonArray" => value is string array ? JsonRead.TryParse(array) ?? (object)array : value,
            _ => value,
        };
    }

    public static object? DefaultOf(string alias) => alias switch
    {
        "Boolean" => false,
        "Int16" or "Int32" or "Int64" => 0L,
        "Single" or "Double" => 0d,
        "Decimal" => 0m,
        "TimeSpan" => TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Text as Elsa would print the value: booleans as <c>True</c>/<c>False</c>, numbers invariant, JSON compact.</summary>
    public static string? AsText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f when value is DateTimeOffset or DateTime => f.ToString("O", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonNode node => node.ToJsonString(),
        _ => value.ToString(),
    };

    public static bool ToBoolean(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => bool.TryParse(s.Trim(), out var parsed) ? parsed : s.Trim() is "1" or "yes" || (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n != 0),
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        decimal m => m != 0,
        JsonNode node => ToBoolean(FromJson(node)),
        _ => throw new FormatException($"cannot convert {value.GetType().Name} to Boolean"),
    };

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d => (long)Math.Round(d),
        decimal m => (long)Math.Round(m),
        bool b => b ? 1 : 0,
        string s => long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : (long)Math.Round(double.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"cannot convert {value?.GetType().Name ?? "null"} to a number"),
    };

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        decimal m => (double)m,
        string s => double.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"cannot convert {value?.GetType().Name ?? "null"} to a number"),
    };

    public static TimeSpan ToTimeSpan(object? value)
    {
        switch (value)
        {
            case TimeSpan ts:
                return ts;
            case long or int or double:
                return TimeSpan.FromMilliseconds(ToDouble(value));
            case string s:
                var text = s.Trim();
                if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
                {
                    return XmlConvert.ToTimeSpan(text);
                }

                return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
            default:
                throw new FormatException($"cannot convert {value?.GetType().Name ?? "null"} to TimeSpan");
        }
    }

    public static DateTimeOffset ToDateTimeOffset(object? value) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt),
        string s => DateTimeOffset.Parse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new FormatException($"cannot convert {value?.GetType().Name ?? "null"} to DateTimeOffset"),
    };

    /// <summary>A list value as a JSON array of converted elements. A string holding a JSON array is parsed first.</summary>
    public static JsonArray? ToList(object? value, string elementType)
    {
        if (value is null)
        {
            return null;
        }

        IEnumerable<object?> items = value switch
        {
            JsonArray array => array.Select(FromJson),
            string s when LooksLikeJson(s) && JsonRead.TryParse(s) is JsonArray parsed => parsed.Select(FromJson),
            string s => [s],
            System.Collections.IEnumerable enumerable and not JsonNode => enumerable.Cast<object?>(),
            _ => [value],
        };
        return new JsonArray(items.Select(item => ToJson(ConvertTo(item, elementType))).ToArray());
    }

    /// <summary>Elements of a list value as runtime values.</summary>
    public static IReadOnlyList<object?> Items(object? value) => value switch
    {
        null => [],
        JsonArray array => array.Select(FromJson).ToList(),
        string s when LooksLikeJson(s) && JsonRead.TryParse(s) is JsonArray parsed => parsed.Select(FromJson).ToList(),
        string s => [s],
        System.Collections.IEnumerable enumerable and not JsonNode => enumerable.Cast<object?>().ToList(),
        _ => [value],
    };

    private static bool LooksLikeJson(string text)
    {
        var t = text.TrimStart();
        return t.StartsWith('{') || t.StartsWith('[');
    }
}
