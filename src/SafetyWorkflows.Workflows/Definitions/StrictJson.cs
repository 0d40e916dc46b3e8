using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>JSON that is not strictly well formed: a duplicate key, a lone surrogate, invalid UTF-8 or a NUL character.</summary>
public sealed class StrictJsonException(string path, string message) : JsonException($"{path}: {message}")
{
    /// <summary>Where in the document, as a JSON path (<c>$.root.activities[2].name</c>).</summary>
    public string JsonPath { get; } = path;

    /// <summary>The reason without the path.</summary>
    public string Reason { get; } = message;
}

/// <summary>
/// Reads JSON that people and tools send us (document metadata, Elsa models) strictly: a duplicate key, a string holding a
/// lone surrogate or invalid UTF-8, or a NUL character is refused with the JSON path of the offending value, instead of
/// being half-read (System.Text.Json keeps the last duplicate, or throws later when the value is first touched) or
/// reaching a database that refuses NUL. Syntax errors stay <see cref="JsonException"/>s.
/// </summary>
public static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static JsonNode? Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    public static JsonNode? Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = Document(utf8);
        Check(document.RootElement, "$");
        return JsonNode.Parse(utf8.Span, documentOptions: Options);
    }

    public static async Task<JsonNode?> ParseAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static JsonDocument Document(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8, Options);
        }
        catch (ArgumentException ex)
        {
            throw new StrictJsonException("$", $"the text is not valid UTF-8 ({ex.Message})");
        }
    }

    private static void Check(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = Text(() => property.Name, path);
                    if (!names.Add(name))
                    {
                        throw new StrictJsonException($"{path}.{name}", $"the key '{name}' appears twice in one object");
                    }

                    Check(property.Value, $"{path}.{name}");
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.String:
                Text(element.GetString, path);
                break;
        }
    }

    private static string Text(Func<string?> read, string path)
    {
        string text;
        try
        {
            text = read() ?? "";
        }
        catch (InvalidOperationException ex)
        {
            throw new StrictJsonException(path, $"the text is not valid UTF-8/UTF-16 (a lone surrogate or a broken byte sequence: {ex.Message})");
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw new StrictJsonException(path, "a NUL character (\\u0000) is not allowed");
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new StrictJsonException(path, "a lone surrogate is not allowed");
            }
        }

        return text;
    }
}
