using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.UnitTests.Workflows;

/// <summary>
/// The workflow-as-activity descriptor and node recognition (elsa-core 3.8.0-rc2,
/// Elsa.Workflows.Management/Activities/WorkflowDefinitionActivity/WorkflowDefinitionActivityDescriptorFactory.cs and
/// PropertyNameHelper.cs; Elsa.Workflows.Core/Models/ActivityConstructorContext.cs reads synthetic inputs by the camelCased name).
/// </summary>
public sealed class WorkflowDefinitionActivitiesTests
{
    private static WorkflowDefinition Definition(string? name, bool published, string? category = null) => new()
    {
        Id = "v3",
        DefinitionId = "hazard-check",
        Name = name,
        Version = 3,
        IsPublished = published,
        Inputs =
        [
            new ArgumentDefinition("Name", "String", false, new JsonObject { ["displayName"] = "名称" }),
            new ArgumentDefinition("Count", "Int32", false, []),
        ],
        Outputs = [new ArgumentDefinition("Root", "Object", false, [])],
        Options = new WorkflowOptions { UsableAsActivity = true, ActivityCategory = category },
        Root = new JsonObject { ["id"] = "flow", ["type"] = "Elsa.Flowchart" },
    };

    [Fact]
    public void Descriptor_FollowsElsasFactory_CategoryOverride_BrowsableOnlyWhenPublished_ReservedNamesPrefixed()
    {
        var draft = WorkflowDefinitionActivities.Describe(Definition("hazard check", published: false, category: "安全生产"));

        Assert.Equal("HazardCheck", draft["typeName"]!.GetValue<string>());
        Assert.Equal("安全生产", draft["category"]!.GetValue<string>());
        Assert.False(draft["isBrowsable"]!.GetValue<bool>());
        Assert.Equal(3, draft["version"]!.GetValue<int>());
        // PropertyNameHelper.GetSafePropertyName: a name that is a property of WorkflowDefinitionActivity gets a "_".
        Assert.Equal(["_Name", "Count"], draft["inputs"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal("名称", draft["inputs"]![0]!["displayName"]!.GetValue<string>());
        Assert.Equal("_Root", draft["outputs"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(["Root"], draft["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));

        var published = WorkflowDefinitionActivities.Describe(Definition("hazard check", published: true));
        Assert.Equal("Workflows", published["category"]!.GetValue<string>());
        Assert.True(published["isBrowsable"]!.GetValue<bool>());
        Assert.Equal("count", WorkflowDefinitionActivities.JsonKey("Count"));
    }

    [Fact]
    public void ANodeIsAWorkflowActivity_WhenItNamesAWorkflowDefinitionId_AndItsTypeIsNotRegistered()
    {
        var registry = new ActivityRegistry([new ActivityRegistration("Elsa.WriteLine", 1, new End(), null)]);
        var node = new JsonObject { ["id"] = "a", ["type"] = "HazardCheck", ["version"] = 3, ["workflowDefinitionId"] = "hazard-check" };

        var found = registry.Find(node);

        Assert.IsType<WorkflowDefinitionActivity>(found?.Behaviour);
        Assert.Equal(3, found!.Version);
        Assert.Null(registry.Find(new JsonObject { ["id"] = "b", ["type"] = "HazardCheck" }));
        var registered = new JsonObject { ["id"] = "c", ["type"] = "Elsa.WriteLine", ["workflowDefinitionId"] = "hazard-check" };
        Assert.IsType<End>(registry.Find(registered)!.Behaviour);
    }
}
