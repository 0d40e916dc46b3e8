using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Fluid.Values;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Turns workflow values into Fluid values. JSON and dictionaries become Liquid hashes and arrays, so
/// <c>{{ Variables.Order.Lines[0].Qty }}</c> works; Fluid's own reflection-based member access is never needed.
/// </summary>
internal static class LiquidValues
{
    private const int MaxDepth = 64;

    public static FluidValue ToFluid(object? value, TemplateOptions options) => ToFluid(value, options, 0);

    private static FluidValue ToFluid(object? value, TemplateOptions options, int depth)
    {
        switch (value)
        {
            case null:
                return NilValue.Instance;
            case FluidValue fluid:
                return fluid;
            case string text:
                return new StringValue(text);
            case bool flag:
                return BooleanValue.Create(flag);
            case DateTimeOffset instant:
                return new DateTimeValue(instant);
            case DateTime dateTime:
                return new DateTimeValue(dateTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc) : dateTime);
            case Guid guid:
                return new StringValue(guid.ToString("D"));
            case TimeSpan span:
                return new StringValue(span.ToString("c", CultureInfo.InvariantCulture));
            case DateOnly date:
                return new StringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TimeOnly time:
                return new StringValue(time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            case Enum member:
                return new StringValue(member.ToString());
            case byte[] bytes:
                // Elsa renders byte arrays as base64 text; a Liquid array of numbers is of no use in a message.
                return new StringValue(Convert.ToBase64String(bytes));
            case double or float when !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                return new StringValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal:
                return FluidValue.Create(value, options);
        }

        if (depth >= MaxDepth)
        {
            throw new ExpressionException($"The value nests deeper than {MaxDepth} levels; it is probably cyclic.");
        }

        switch (value)
        {
            case JsonNode node:
                return FromJson(node, options, depth);
            case JsonElement element:
                return element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                    ? NilValue.Instance
                    : FromJson(JsonNode.Parse(element.GetRawText()), options, depth);
            case IDictionary dictionary:
                var fromDictionary = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    fromDictionary[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = ToFluid(entry.Value, options, depth + 1);
                }

                return new DictionaryValue(new FluidValueDictionaryFluidIndexable(fromDictionary));
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var fromPairs = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
                foreach (var (key, item) in pairs)
                {
                    fromPairs[key] = ToFluid(item, options, depth + 1);
                }

                return new DictionaryValue(new FluidValueDictionaryFluidIndexable(fromPairs));
            case IEnumerable sequence:
                var items = new List<FluidValue>();
                foreach (var item in sequence)
                {
                    items.Add(ToFluid(item, options, depth + 1));
                }

                return new ArrayValue(items);
            default:
                // Records and other plain objects are read through their JSON shape, as in JavaScript expressions.
                return FromJson(JsonSerializer.SerializeToNode(value, value.GetType()), options, depth);
        }
    }

    private static FluidValue FromJson(JsonNode? node, TemplateOptions options, int depth)
    {
        switch (node)
        {
            case null:
                return NilValue.Instance;
            case JsonObject obj:
                var members = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
                foreach (var (key, item) in obj)
                {
                    members[key] = ToFluid(item, options, depth + 1);
                }

                return new DictionaryValue(new FluidValueDictionaryFluidIndexable(members));
            case JsonArray array:
                var items = new List<FluidValue>(array.Count);
                foreach (var item in array)
                {
                    items.Add(ToFluid(item, options, depth + 1));
                }

                return new ArrayValue(items);
        }

        var value = node.AsValue();
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                if (value.TryGetValue<string>(out var text))
                {
                    return new StringValue(text);
                }

                // A JsonValue built from a DateTimeOffset, Guid, ... reports String but holds the .NET value.
                return value.TryGetValue<object>(out var held) && held is not JsonElement
                    ? ToFluid(held, options, depth + 1)
                    : new StringValue(value.ToJsonString().Trim('"'));
            case JsonValueKind.Number:
                return value.TryGetValue<decimal>(out var number)
                    ? NumberValue.Create(number)
                    : new StringValue(value.ToJsonString());
            case JsonValueKind.True:
                return BooleanValue.Create(true);
            case JsonValueKind.False:
                return BooleanValue.Create(false);
            default:
                return NilValue.Instance;
        }
    }
}
