using System.Text.Json;

namespace SafetyWorkflows.UnitTests.Workflows;

/// <summary>
/// Checks the Elsa descriptor data files that the Studio-facing descriptor endpoints serve.
/// The files are read from the source tree, so the test does not depend on the embedded resources.
/// </summary>
public sealed class DescriptorDataTests
{
    private const string DescriptorFolder = "src/SafetyWorkflows.Workflows/Activities/Descriptors";

    private static readonly string[] RequiredActivityTypes =
    [
        "Elsa.Flowchart", "Elsa.Start", "Elsa.End", "Elsa.Finish", "Elsa.WriteLine", "Elsa.SetVariable",
        "Elsa.SetName", "Elsa.Correlate", "Elsa.SetOutput", "Elsa.Fault", "Elsa.FlowDecision", "Elsa.FlowSwitch",
        "Elsa.FlowFork", "Elsa.FlowJoin", "Elsa.FlowNode", "Elsa.If", "Elsa.While", "Elsa.ForEach", "Elsa.Break",
        "Elsa.Event", "Elsa.PublishEvent", "Elsa.RunTask", "Elsa.RunJavaScript", "Elsa.Delay", "Elsa.Timer",
        "Elsa.StartAt", "Elsa.Cron", "Elsa.Complete", "Elsa.Sequence", "Elsa.Parallel", "Elsa.Fork", "Elsa.For",
        "Elsa.ParallelForEach", "Elsa.Switch", "Elsa.ExecuteWorkflow", "Elsa.DispatchWorkflow",
        "Elsa.NotFoundActivity",
    ];

    private static readonly string[] ExpectedJoinModes = ["WaitAll", "WaitAllActive", "WaitAny"];

    private static readonly string[] RequiredListKeys =
    [
        "expressionDescriptors", "variableTypes", "storageDrivers", "incidentStrategies",
        "workflowActivationStrategies", "logPersistenceStrategies", "workflowCommitStrategies",
        "activityCommitStrategies",
    ];

    [Fact]
    public void ActivitiesFile_ParsesAsJsonArrayOfObjects_WhenReadFromSourceTree()
    {
        // Arrange
        var json = ReadDescriptorFile("elsa-activities.json");

        // Act
        using var document = JsonDocument.Parse(json);

        // Assert
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.All(document.RootElement.EnumerateArray(), item => Assert.Equal(JsonValueKind.Object, item.ValueKind));
    }

    [Fact]
    public void ListsFile_ParsesAsObjectWithItemsPerList_WhenReadFromSourceTree()
    {
        // Arrange
        var json = ReadDescriptorFile("elsa-lists.json");

        // Act
        using var document = JsonDocument.Parse(json);

        // Assert
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        foreach (var key in RequiredListKeys)
        {
            Assert.True(document.RootElement.TryGetProperty(key, out var list), $"Missing list '{key}'.");
            Assert.Equal(JsonValueKind.Array, list.GetProperty("items").ValueKind);
            if (list.TryGetProperty("count", out var count))
            {
                Assert.Equal(list.GetProperty("items").GetArrayLength(), count.GetInt32());
            }
        }
    }

    [Fact]
    public void ActivitiesFile_ContainsEachRequiredTypeOnceWithVersion_WhenLoaded()
    {
        // Arrange
        using var document = LoadActivities();

        // Act
        var descriptors = document.RootElement.EnumerateArray().ToList();
        var typeNames = descriptors.Select(x => x.GetProperty("typeName").GetString()).ToList();

        // Assert
        Assert.Equal(RequiredActivityTypes.Length, descriptors.Count);
        foreach (var typeName in RequiredActivityTypes)
        {
            Assert.Single(typeNames, x => x == typeName);
        }

        Assert.All(descriptors, x => Assert.True(x.GetProperty("version").GetInt32() >= 1, x.GetProperty("typeName").GetString()));
    }

    [Fact]
    public void ActivitiesFile_EveryInputIsBrowsableWithNameTypeAndUiHint_WhenLoaded()
    {
        // Arrange
        using var document = LoadActivities();

        // Act
        var inputs = document.RootElement.EnumerateArray()
            .SelectMany(x => x.GetProperty("inputs").EnumerateArray().Select(input => (Type: x.GetProperty("typeName").GetString(), Input: input)))
            .ToList();

        // Assert
        Assert.NotEmpty(inputs);
        Assert.All(inputs, x =>
        {
            var where = $"{x.Type}.{GetString(x.Input, "name")}";
            Assert.True(x.Input.GetProperty("isBrowsable").GetBoolean(), where);
            Assert.False(string.IsNullOrWhiteSpace(GetString(x.Input, "name")), where);
            Assert.False(string.IsNullOrWhiteSpace(GetString(x.Input, "typeName")), where);
            Assert.False(string.IsNullOrWhiteSpace(GetString(x.Input, "uiHint")), where);
        });
    }

    [Fact]
    public void ActivitiesFile_StudioVisibleDescriptorsHaveDisplayNames_WhenTheyHaveInputs()
    {
        // Arrange
        using var document = LoadActivities();

        // Act
        var shownWithInputs = document.RootElement.EnumerateArray()
            .Where(x => x.GetProperty("isBrowsable").GetBoolean() && x.GetProperty("inputs").GetArrayLength() > 0)
            .ToList();

        // Assert
        Assert.NotEmpty(shownWithInputs);
        Assert.All(shownWithInputs, x =>
        {
            var typeName = GetString(x, "typeName");
            Assert.False(string.IsNullOrWhiteSpace(GetString(x, "displayName")), typeName);
            Assert.All(x.GetProperty("inputs").EnumerateArray(), input => Assert.False(string.IsNullOrWhiteSpace(GetString(input, "displayName")), typeName));
        });
    }

    [Fact]
    public void ListsFile_ExpressionDescriptorsIncludeScriptingLanguages_WhenLoaded()
    {
        // Arrange
        using var document = LoadLists();

        // Act
        var types = document.RootElement.GetProperty("expressionDescriptors").GetProperty("items").EnumerateArray()
            .Select(x => GetString(x, "type"))
            .ToList();

        // Assert
        Assert.Contains("JavaScript", types);
        Assert.Contains("Liquid", types);
    }

    [Fact]
    public void ActivitiesFile_FlowJoinModeDropdownListsThreeJoinModes_WhenLoaded()
    {
        // Arrange
        using var document = LoadActivities();
        var flowJoin = document.RootElement.EnumerateArray().Single(x => GetString(x, "typeName") == "Elsa.FlowJoin");

        // Act
        var mode = flowJoin.GetProperty("inputs").EnumerateArray().Single(x => GetString(x, "name") == "Mode");
        var values = mode.GetProperty("uiSpecifications").GetProperty("dropdown").GetProperty("selectList").GetProperty("items")
            .EnumerateArray()
            .Select(x => GetString(x, "value"))
            .ToList();

        // Assert
        Assert.Equal("dropdown", GetString(mode, "uiHint"));
        Assert.Equal(ExpectedJoinModes, values);
    }

    private static JsonDocument LoadActivities() => JsonDocument.Parse(ReadDescriptorFile("elsa-activities.json"));

    private static JsonDocument LoadLists() => JsonDocument.Parse(ReadDescriptorFile("elsa-lists.json"));

    private static string? GetString(JsonElement element, string propertyName) =>
        element.TryGetProperty(propertyName, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ReadDescriptorFile(string fileName)
    {
        var path = Path.Combine(FindRepositoryRoot(), DescriptorFolder, fileName);
        return File.ReadAllText(path);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SafetyWorkflows.sln")))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' contains SafetyWorkflows.sln.");
    }
}
