using System.Text.Json.Nodes;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>
/// Read → write → read of every shipped definition (<c>workflows/</c>) and every test definition that is meant to be
/// read (the compatibility suite, the runtime and Studio cases of <c>Workflows/TestDefinitions</c>, the definitions written
/// inline in both test projects' C# and those tests build in code; the deliberately broken files of <c>BadInput</c> and
/// the hostile JSON of the strict-reader tests are not, the well-formed ones of <c>BadInput/Faults</c>, which fault only
/// when they run, are): the first write is a fixed point (writing what was read back gives the same JSON), and nothing the file said
/// is lost on the way: every key and value of the file is in what is written, key order aside, save the
/// normalisations Elsa's own server makes (nodeId recomputed, connection keys camelCased, type names as aliases).
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var roots = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "workflows"),
            Path.Combine(AppContext.BaseDirectory, "Workflows", "Compatibility", "Definitions"),
            Path.Combine(AppContext.BaseDirectory, "Workflows", "TestDefinitions"),
            Path.Combine(AppContext.BaseDirectory, "Workflows", "BadInput", "Faults"),
        };
        foreach (var root in roots.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".test.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
            }
        }

        return data;
    }

    private static readonly string BadInputFolder = Path.Combine(AppContext.BaseDirectory, "Workflows", "BadInput", "Definitions");

    /// <summary>The files of <c>BadInput/Definitions</c> the reader takes (the loader refuses them; a draft keeps them).</summary>
    public static TheoryData<string> ReadableBadInput()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(BadInputFolder).Order(StringComparer.Ordinal))
        {
            try
            {
                DefinitionReader.Parse(File.ReadAllText(file), Path.GetFileName(file));
                data.Add(Path.GetFileName(file));
            }
            catch (DefinitionException)
            {
                // refused by the reader itself (not JSON, no definitionId, no root…): nothing to write back
            }
        }

        return data;
    }

    /// <summary>The definitions written inline in the C# of both test projects (see <see cref="InlineDefinitions"/>).</summary>
    public static TheoryData<string> Inline()
    {
        var data = new TheoryData<string>();
        foreach (var (source, _) in InlineDefinitions.All())
        {
            data.Add(source);
        }

        return data;
    }

    /// <summary>The definitions tests build with JsonObject initialisers rather than write as JSON.</summary>
    public static IReadOnlyDictionary<string, JsonObject> BuiltInCode()
    {
        var built = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["FaultingChain(throws)"] = FaultingChain.Definition("faulting-chain", FaultingChain.Throws),
            ["FaultingChain(works)"] = FaultingChain.Definition("faulting-chain", FaultingChain.Works),
        };
        foreach (var (name, definition) in RunawayWorkflowTests.Built())
        {
            built[$"RunawayWorkflowTests({name})"] = definition;
        }

        return built;
    }

    public static TheoryData<string> Built() => new(BuiltInCode().Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ReadWriteRead_IsIdentity(string file) =>
        AssertRoundTrip(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, file)), file);

    /// <summary>A definition that cannot run (unknown type, duplicate id, script syntax error…) is still kept in a draft
    /// exactly: what the reader takes round-trips like any other.</summary>
    [Theory]
    [MemberData(nameof(ReadableBadInput))]
    public async Task ReadWriteRead_IsIdentity_ForUnrunnableDefinitionsTheReaderTakes(string file) =>
        AssertRoundTrip(await File.ReadAllTextAsync(Path.Combine(BadInputFolder, file)), file);

    [Fact]
    public void MostBadInputDefinitions_AreReadable_OnlyTheLoaderRefusesThem() =>
        Assert.True(ReadableBadInput().Count >= 20, $"only {ReadableBadInput().Count} of the BadInput definitions are readable");

    [Theory]
    [MemberData(nameof(Inline))]
    public void ReadWriteRead_IsIdentity_ForDefinitionsWrittenInTestCode(string source)
    {
        var matches = InlineDefinitions.All().Where(d => d.Source == source).ToList();
        AssertRoundTrip(Assert.Single(matches).Definition.ToJsonString(), source);
    }

    [Theory]
    [MemberData(nameof(Built))]
    public void ReadWriteRead_IsIdentity_ForDefinitionsBuiltInTestCode(string name) =>
        AssertRoundTrip(BuiltInCode()[name].ToJsonString(), name);

    /// <summary>
    /// The collector finds the inline definitions (a broken scanner would otherwise check nothing), holes filled, and reads
    /// the unit tests' sources too: their only literals with a <c>root</c> are StrictJsonTests' hostile JSON (a duplicate
    /// key), which is no definition and is left out.
    /// </summary>
    [Fact]
    public void InlineDefinitions_AreFound_InBothTestProjects()
    {
        var found = InlineDefinitions.All();
        var sources = found.Select(d => d.Source).ToList();
        Assert.True(sources.Count >= 15, $"only {sources.Count} inline definitions found: {string.Join(", ", sources)}");
        Assert.Contains(sources, s => s.StartsWith("IntegrationTests/Workflows/WorkflowHostTests.cs:", StringComparison.Ordinal));
        var timer = found.Single(d => d.Source.StartsWith("IntegrationTests/Support/TimerScenario.cs:", StringComparison.Ordinal)).Definition;
        Assert.Equal("hole", timer["definitionId"]!.GetValue<string>());

        var strict = File.ReadAllText(Path.Combine(InlineDefinitions.SourcesFolder, "UnitTests", "Workflows", "Definitions", "StrictJsonTests.cs"));
        var rooted = InlineDefinitions.RawStrings(strict).Where(l => l.Json.Contains("\"root\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rooted);
        Assert.DoesNotContain(sources, s => s.StartsWith("UnitTests/", StringComparison.Ordinal));
    }

    private static void AssertRoundTrip(string text, string file)
    {
        var first = DefinitionReader.Parse(text, file);
        var written = DefinitionWriter.Write(first);
        var second = DefinitionReader.Read((JsonObject)written.DeepClone(), file);
        var rewritten = DefinitionWriter.Write(second);

        Assert.True(JsonNode.DeepEquals(Sorted(written), Sorted(rewritten)), $"{file}: the second write differs\nfirst:  {Sorted(written)!.ToJsonString()}\nsecond: {Sorted(rewritten)!.ToJsonString()}");
        var original = JsonNode.Parse(text)!.AsObject();
        original.Remove("$schema");
        var lost = new List<string>();
        Contained(original, written, "$", lost);
        Assert.True(lost.Count == 0, $"{file}: lost or changed on the way:\n{string.Join("\n", lost)}");
    }

    /// <summary>The same JSON with every object's keys in ordinal order, so that equality ignores key order.</summary>
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void Contained(JsonNode? original, JsonNode? written, string path, List<string> lost)
    {
        switch (original)
        {
            case JsonObject obj:
                if (written is not JsonObject target)
                {
                    lost.Add($"{path}: an object became {written?.ToJsonString() ?? "nothing"}");
                    return;
                }

                foreach (var (key, value) in obj)
                {
                    var camel = char.ToLowerInvariant(key[0]) + key[1..];
                    if (key == "nodeId" || (path == "$" && key == "createdAt") || (key == "typeName" && value is JsonValue))
                    {
                        continue; // recomputed from the tree / the store's own time / written as Elsa's alias (read back the same)
                    }

                    if (!target.TryGetPropertyValue(key, out var match) && !target.TryGetPropertyValue(camel, out match))
                    {
                        if (value is not null)
                        {
                            lost.Add($"{path}.{key}: missing");
                        }

                        continue;
                    }

                    Contained(value, match, $"{path}.{key}", lost);
                }

                break;
            case JsonArray array:
                if (written is not JsonArray items || items.Count != array.Count)
                {
                    lost.Add($"{path}: an array of {array.Count} became {written?.ToJsonString() ?? "nothing"}");
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Contained(array[i], items[i], $"{path}[{i}]", lost);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(original, written))
                {
                    lost.Add($"{path}: {original?.ToJsonString() ?? "null"} became {written?.ToJsonString() ?? "null"}");
                }

                break;
        }
    }
}
