using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>
/// The workflow definitions written inline in the tests' own C# (raw string literals holding JSON with a <c>root</c>),
/// found in the sources of both test projects, which the build copies next to the tests (TestSources/). Each literal that
/// parses as JSON is searched for definitions: objects whose <c>root</c> is an object (a bare definition, or one wrapped in
/// a save request's <c>model</c>). An interpolation hole (<c>{{name}}</c> in a literal opened by two dollar signs) becomes the text
/// <c>hole</c> inside a JSON string and the string <c>"hole"</c> elsewhere, so that the rest of the literal is still read.
/// Definitions built in code rather than written as JSON are listed by <see cref="RoundTripTests.BuiltInCode"/>.
/// </summary>
internal static partial class InlineDefinitions
{
    public static string SourcesFolder => Path.Combine(AppContext.BaseDirectory, "TestSources");

    /// <summary>Every inline definition: where it is written (<c>file:line</c>, with <c>#n</c> for the n-th in one literal) and its JSON.</summary>
    public static IReadOnlyList<(string Source, JsonObject Definition)> All()
    {
        var found = new List<(string, JsonObject)>();
        foreach (var file in Directory.EnumerateFiles(SourcesFolder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(SourcesFolder, file).Replace('\\', '/');
            foreach (var (line, json) in RawStrings(text))
            {
                if (TryParse(json) is not { } node)
                {
                    continue;
                }

                var definitions = Definitions(node).ToList();
                for (var i = 0; i < definitions.Count; i++)
                {
                    found.Add(($"{name}:{line}{(definitions.Count > 1 ? $"#{i + 1}" : "")}", definitions[i]));
                }
            }
        }

        return found;
    }

    /// <summary>The raw string literals of a C# source with the line each starts on, interpolation holes filled.</summary>
    public static IEnumerable<(int Line, string Json)> RawStrings(string source)
    {
        var at = 0;
        Match open;
        while ((open = RawOpening().Match(source, at)).Success)
        {
            var quotes = open.Groups["q"].Value;
            var close = source.IndexOf(quotes, open.Index + open.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                yield break;
            }

            at = close + quotes.Length;
            var body = source[(open.Index + open.Length)..close];
            var line = source.AsSpan(0, open.Index).Count('\n') + 1;
            yield return (line, FillHoles(body, open.Groups["d"].Value.Length));
        }
    }

    /// <summary>The definitions in a JSON tree, outermost first (an object whose <c>root</c> is an object).</summary>
    public static IEnumerable<JsonObject> Definitions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj["root"] is JsonObject:
                yield return obj;
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    foreach (var inner in Definitions(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in Definitions(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static JsonNode? TryParse(string json)
    {
        var trimmed = json.Trim();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(trimmed);
            Walk(node); // JsonObject builds its dictionary lazily: a duplicate key throws only here
            return node;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null; // not JSON (a fragment, or hostile JSON a test feeds on purpose): not a definition to round-trip
        }
    }

    private static void Walk(JsonNode? node)
    {
        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
        {
            Walk(child);
        }
    }

    /// <summary>Replaces the holes of a literal with <c>dollars</c> dollar signs (C# 11: <c>dollars</c> braces open one).</summary>
    private static string FillHoles(string body, int dollars)
    {
        if (dollars == 0)
        {
            return body;
        }

        var result = new StringBuilder(body.Length);
        var inString = false;
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == '{')
            {
                var run = 0;
                while (i + run < body.Length && body[i + run] == '{')
                {
                    run++;
                }

                if (run < dollars)
                {
                    result.Append('{', run);
                    i += run;
                    continue;
                }

                result.Append('{', run - dollars);
                i = SkipHole(body, i + run, dollars);
                result.Append(inString ? "hole" : "\"hole\"");
                continue;
            }

            if (c == '"' && (i == 0 || body[i - 1] != '\\'))
            {
                inString = !inString;
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    /// <summary>The index after the <paramref name="dollars"/> closing braces of a hole that starts at <paramref name="from"/>.</summary>
    private static int SkipHole(string body, int from, int dollars)
    {
        var depth = 0;
        for (var i = from; i < body.Length; i++)
        {
            if (body[i] == '{')
            {
                depth++;
            }
            else if (body[i] == '}')
            {
                if (depth > 0)
                {
                    depth--;
                    continue;
                }

                return Math.Min(body.Length, i + dollars);
            }
        }

        return body.Length;
    }

    [GeneratedRegex("(?<d>\\$*)(?<q>\"{3,})")]
    private static partial Regex RawOpening();
}
