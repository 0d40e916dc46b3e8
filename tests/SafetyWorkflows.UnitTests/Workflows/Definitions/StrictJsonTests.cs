using System.Text;
using System.Text.Json;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.UnitTests.Workflows.Definitions;

/// <summary>Issue 15, finding 7: JSON from people and tools is read strictly, and a refusal names the JSON path.</summary>
public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"a":1,"a":2}""", "$.a")]
    [InlineData("""{"root":{"activities":[{"id":"x"},{"id":"y","id":"z"}]}}""", "$.root.activities[1].id")]
    [InlineData("""{"name":"\ud800"}""", "$.name")]
    [InlineData("""{"name":"x\udc00y"}""", "$.name")]
    [InlineData("""{"list":["ok","\u0000"]}""", "$.list[1]")]
    [InlineData("""{"\ud800":1}""", "$")]
    public void HostileJson_IsRefused_WithItsPath(string json, string path)
    {
        var error = Assert.Throws<StrictJsonException>(() => StrictJson.Parse(json));
        Assert.Equal(path, error.JsonPath);
    }

    [Fact]
    public void InvalidUtf8_IsRefused_WithItsPath()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"a":{"b":"XX"}}""");
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        var error = Assert.Throws<StrictJsonException>(() => StrictJson.Parse(bytes));
        Assert.Equal("$.a.b", error.JsonPath);
    }

    [Theory]
    [InlineData("""{"a":"\ud83d\ude00","b":[1,2,{"c":null}],"同":"意"}""")]
    [InlineData("""[1, 2, 3,]""")]
    [InlineData("""{"a":1} // a comment""")]
    public void WellFormedJson_ReadsAsBefore(string json)
    {
        Assert.NotNull(StrictJson.Parse(json));
    }

    [Fact]
    public void BrokenSyntax_StaysAJsonException()
    {
        var error = Assert.ThrowsAny<JsonException>(() => StrictJson.Parse("""{"a":"""));
        Assert.IsNotType<StrictJsonException>(error);
    }

    [Fact]
    public void DefinitionReader_NamesTheFileAndThePath()
    {
        var error = Assert.Throws<DefinitionException>(() => DefinitionReader.Parse("""{"definitionId":"d","definitionId":"e","root":{}}""", "d.json"));
        Assert.Contains("$.definitionId", error.Message, StringComparison.Ordinal);
        Assert.Contains("d.json", error.Message, StringComparison.Ordinal);
    }
}
