using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Converts values between .NET and the sandboxed engine. Nothing CLR-typed ever reaches a script: every value becomes a
/// plain JavaScript value, so scripts cannot reach .NET members through a wrapped object.
/// </summary>
internal static class JavaScriptValues
{
    /// <summary>Deeper values are almost always cyclic; the limit also keeps the converters off the .NET stack's edge.</summary>
    private const int MaxDepth = 64;

    // 2^63 as a double: the first value that no longer fits a long.
    private const double LongUpperBound = 9223372036854775808.0;

    public static JsValue ToJs(Engine engine, object? value) => ToJs(engine, value, 0);

    /// <summary>
    /// The plain .NET value of a script value: null, string, bool, long or double, <see cref="DateTimeOffset"/> for a Date,
    /// and <see cref="JsonNode"/> for objects and arrays (nested Dates become ISO 8601 strings there).
    /// </summary>
    public static object? ToClr(JsValue value)
    {
        switch (value.Type)
        {
            case Types.Undefined:
            case Types.Null:
            case Types.Empty:
                return null;
            case Types.Boolean:
                return value.AsBoolean();
            case Types.String:
                return value.AsString();
            case Types.Number:
                return FromNumber(value.AsNumber());
            case Types.BigInt:
                var big = TypeConverter.ToBigInt(value);
                return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : (double)big;
            case Types.Symbol:
                return value.ToString();
        }

        if (value.IsDate())
        {
            return ToDateTimeOffset(value.AsDate().DateValue);
        }

        return value.IsCallable() ? null : ToNode(value, 0);
    }

    // The cast to object matters: without it the conditional would widen the long back to a double.
    public static object FromNumber(double number) => IsLong(number) ? (object)(long)number : number;

    private static JsValue ToJs(Engine engine, object? value, int depth)
    {
        switch (value)
        {
            case null:
                return JsValue.Null;
            case JsValue js:
                return js;
            case string text:
                return new JsString(text);
            case bool flag:
                return flag ? JsBoolean.True : JsBoolean.False;
            case char character:
                return new JsString(character);
            case DateTimeOffset instant:
                return new JsDate(engine, instant);
            case DateTime dateTime:
                // Our timestamps are UTC throughout (ADR-002); an unspecified kind is read as UTC, not server-local time.
                return new JsDate(engine, dateTime.Kind == DateTimeKind.Unspecified
                    ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)
                    : dateTime.ToUniversalTime());
            case DateOnly date:
                return new JsString(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TimeOnly time:
                return new JsString(time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            case TimeSpan span:
                return new JsString(span.ToString("c", CultureInfo.InvariantCulture));
            case Guid guid:
                return new JsString(guid.ToString("D"));
            case Enum member:
                return new JsString(member.ToString());
            case Uri uri:
                return new JsString(uri.ToString());
            case byte[] bytes:
                return engine.Intrinsics.Uint8Array.Construct(bytes);
            case JsonNode node:
                return FromJsonNode(engine, node, depth);
            case JsonElement element:
                return element.ValueKind == JsonValueKind.Undefined ? JsValue.Undefined : new JsonParser(engine).Parse(element.GetRawText());
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal:
                return new JsNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture));
        }

        if (depth >= MaxDepth)
        {
            throw TooDeep();
        }

        switch (value)
        {
            case IDictionary dictionary:
                var fromDictionary = new JsObject(engine);
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    fromDictionary.CreateDataProperty(key, ToJs(engine, entry.Value, depth + 1));
                }

                return fromDictionary;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var fromPairs = new JsObject(engine);
                foreach (var (key, item) in pairs)
                {
                    fromPairs.CreateDataProperty(key, ToJs(engine, item, depth + 1));
                }

                return fromPairs;
            case IEnumerable sequence:
                var items = new List<JsValue>();
                foreach (var item in sequence)
                {
                    items.Add(ToJs(engine, item, depth + 1));
                }

                return new JsArray(engine, [.. items]);
            default:
                // Records and other plain objects travel as their JSON shape (property names as declared), never as CLR wrappers.
                var json = System.Text.Json.JsonSerializer.SerializeToNode(value, value.GetType());
                return json is null ? JsValue.Null : new JsonParser(engine).Parse(json.ToJsonString());
        }
    }

    /// <summary>
    /// Builds the JavaScript value of a JSON tree directly, as <c>JSON.parse</c> of its text would (a document's metadata
    /// is read this way on every decision, so the round trip through text is skipped). Deeper trees, and numbers JSON
    /// text would turn into infinities, still go through the text.
    /// </summary>
    private static JsValue FromJsonNode(Engine engine, JsonNode node, int depth)
    {
        if (depth >= MaxDepth)
        {
            return new JsonParser(engine).Parse(node.ToJsonString());
        }

        switch (node)
        {
            case JsonObject obj:
                var target = new JsObject(engine);
                foreach (var (key, item) in obj)
                {
                    target.CreateDataProperty(key, item is null ? JsValue.Null : FromJsonNode(engine, item, depth + 1));
                }

                return target;
            case JsonArray array:
                var items = new JsValue[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = array[i] is { } item ? FromJsonNode(engine, item, depth + 1) : JsValue.Null;
                }

                return new JsArray(engine, items);
        }

        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new JsString(value.GetValue<string>());
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            case JsonValueKind.Null:
                return JsValue.Null;
            case JsonValueKind.Number when value.TryGetValue<double>(out var number) && double.IsFinite(number):
                return new JsNumber(number);
            default:
                return new JsonParser(engine).Parse(value.ToJsonString());
        }
    }

    private static JsonNode? ToNode(JsValue value, int depth)
    {
        switch (value.Type)
        {
            case Types.Undefined:
            case Types.Null:
            case Types.Empty:
            case Types.Symbol:
                return null;
            case Types.Boolean:
                return JsonValue.Create(value.AsBoolean());
            case Types.String:
                return JsonValue.Create(value.AsString());
            case Types.Number:
                var number = value.AsNumber();
                if (!double.IsFinite(number))
                {
                    // As JSON.stringify does: JSON has no NaN or Infinity.
                    return null;
                }

                return IsLong(number) ? JsonValue.Create((long)number) : JsonValue.Create(number);
            case Types.BigInt:
                // Parsing the digits keeps integers beyond 2^63 exact.
                return JsonNode.Parse(TypeConverter.ToBigInt(value).ToString(CultureInfo.InvariantCulture));
        }

        if (value.IsCallable())
        {
            return null;
        }

        if (depth >= MaxDepth)
        {
            throw TooDeep();
        }

        if (value.IsDate())
        {
            var instant = ToDateTimeOffset(value.AsDate().DateValue);
            return instant is null ? null : JsonValue.Create(instant.Value);
        }

        if (TryReadBytes(value, out var bytes))
        {
            var fromBytes = new JsonArray();
            foreach (var b in bytes)
            {
                fromBytes.Add(JsonValue.Create(b));
            }

            return fromBytes;
        }

        if (value.IsArray())
        {
            var array = value.AsArray();
            var result = new JsonArray();
            for (uint i = 0; i < array.Length; i++)
            {
                result.Add(ToNode(array[i], depth + 1));
            }

            return result;
        }

        var source = value.AsObject();
        var target = new JsonObject();
        foreach (var key in source.GetOwnPropertyKeys(Types.String))
        {
            var descriptor = source.GetOwnProperty(key);
            if (!descriptor.Enumerable)
            {
                continue;
            }

            var property = source.Get(key);
            if (property.IsUndefined() || property.IsCallable() || property.IsSymbol())
            {
                // JSON.stringify leaves these members out too.
                continue;
            }

            target[key.ToString()!] = ToNode(property, depth + 1);
        }

        return target;
    }

    /// <summary>Reads a Uint8Array, Uint8ClampedArray or ArrayBuffer; plain arrays of numbers are not bytes here.</summary>
    public static bool TryReadBytes(JsValue value, out byte[] bytes)
    {
        if (value.IsUint8Array())
        {
            bytes = value.AsUint8Array();
            return true;
        }

        if (value.IsUint8ClampedArray())
        {
            bytes = value.AsUint8ClampedArray();
            return true;
        }

        if (value.IsArrayBuffer() && value.AsArrayBuffer() is { } buffer)
        {
            // A detached buffer has no bytes left to read.
            bytes = buffer;
            return true;
        }

        bytes = [];
        return false;
    }

    private static bool IsLong(double number) =>
        double.IsFinite(number) && Math.Floor(number) == number && number >= long.MinValue && number < LongUpperBound;

    private static DateTimeOffset? ToDateTimeOffset(double millisecondsSinceEpoch) =>
        double.IsNaN(millisecondsSinceEpoch) ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)millisecondsSinceEpoch);

    private static ExpressionException TooDeep() =>
        new($"The value nests deeper than {MaxDepth} levels; it is probably cyclic.");
}
