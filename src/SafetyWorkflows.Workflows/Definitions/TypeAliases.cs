namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>
/// Elsa's type aliases (<c>String</c>, <c>Int32</c>, <c>List&lt;String&gt;</c>…) and the legacy CLR names 3.7 wrote for the
/// same types (<c>System.String, System.Private.CoreLib</c>). We read both and write the alias, as Elsa 3.8 does.
/// </summary>
public static class TypeAliases
{
    private static readonly Dictionary<string, string> ClrToAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        ["System.String"] = "String",
        ["System.Boolean"] = "Boolean",
        ["System.Int16"] = "Int16",
        ["System.Int32"] = "Int32",
        ["System.Int64"] = "Int64",
        ["System.Single"] = "Single",
        ["System.Double"] = "Double",
        ["System.Decimal"] = "Decimal",
        ["System.Object"] = "Object",
        ["System.Guid"] = "Guid",
        ["System.DateTime"] = "DateTime",
        ["System.DateTimeOffset"] = "DateTimeOffset",
        ["System.TimeSpan"] = "TimeSpan",
        ["System.Byte[]"] = "ByteArray",
        ["System.IO.Stream"] = "Stream",
        ["System.Dynamic.ExpandoObject"] = "JSON",
        ["System.Text.Json.JsonElement"] = "JsonElement",
        ["System.Text.Json.Nodes.JsonNode"] = "JsonNode",
        ["System.Text.Json.Nodes.JsonObject"] = "JsonObject",
        ["System.Text.Json.Nodes.JsonArray"] = "JsonArray",
        ["Long"] = "Int64",
    };

    /// <summary>Returns the 3.8 alias for a type name in any spelling Elsa has written; unknown names come back unchanged.</summary>
    public static string Normalize(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName))
        {
            return "Object";
        }

        var name = typeName.Trim();
        if (name.StartsWith("UnregisteredClrType:", StringComparison.Ordinal))
        {
            return name;
        }

        var comma = name.IndexOf(',', StringComparison.Ordinal);
        var bare = comma > 0 && !name.Contains('<', StringComparison.Ordinal) ? name[..comma].Trim() : name;
        if (ClrToAlias.TryGetValue(bare, out var alias))
        {
            return alias;
        }

        if (bare.EndsWith("[]", StringComparison.Ordinal) && bare != "System.Byte[]")
        {
            return Normalize(bare[..^2]) + "[]";
        }

        return bare;
    }

    /// <summary>For <c>List&lt;X&gt;</c>, <c>X[]</c>, <c>HashSet&lt;X&gt;</c>, <c>Collection&lt;X&gt;</c>: the element alias; otherwise null.</summary>
    public static string? ElementType(string alias)
    {
        if (alias.EndsWith("[]", StringComparison.Ordinal))
        {
            return alias[..^2];
        }

        var open = alias.IndexOf('<', StringComparison.Ordinal);
        if (open > 0 && alias.EndsWith('>'))
        {
            var outer = alias[..open];
            if (outer is "List" or "HashSet" or "Collection" or "IEnumerable" or "ICollection" or "IList")
            {
                return alias[(open + 1)..^1];
            }
        }

        return null;
    }
}
