using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>Every definition shipped in workflows/ loads and validates with the domain activities registered.</summary>
public sealed class ShippedDefinitionsTests(Support.AppFixture fixture) : IClassFixture<Support.AppFixture>
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ShippedDefinition_LoadsAndValidates_AndItsFileNameIsItsDefinitionId(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "workflows", file));
        var loader = (DefinitionLoader)fixture.App.Services.GetService(typeof(DefinitionLoader))!;

        var workflow = loader.Load(DefinitionReader.Parse(text, file), file);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), workflow.Definition.DefinitionId);
        Assert.True(workflow.Definition.IsPublished);
    }
}
