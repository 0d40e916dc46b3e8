using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Workflows;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>The descriptor lists the Studio loads, features and the package version.</summary>
internal static class ElsaDescriptorEndpoints
{
    private static readonly Lazy<JsonObject> Lists = new(ElsaDescriptors.Lists);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/descriptors/activities", ActivitiesAsync);
        api.MapPost("/descriptors/activities/{type}/options/{propertyName}", (string type, string propertyName) =>
            ElsaJson.Ok(new JsonObject { ["items"] = new JsonArray() }));
        api.MapGet("/descriptors/expression-descriptors", () => List("expressionDescriptors"));
        api.MapGet("/descriptors/variables", () => List("variableTypes"));
        api.MapGet("/descriptors/storage-drivers", () => List("storageDrivers"));
        api.MapGet("/descriptors/incident-strategies", () => List("incidentStrategies"));
        api.MapGet("/descriptors/workflow-activation-strategies", () => List("workflowActivationStrategies"));
        api.MapGet("/descriptors/log-persistence-strategies", () => List("logPersistenceStrategies"));
        api.MapGet("/descriptors/commit-strategies/workflows", () => List("workflowCommitStrategies"));
        api.MapGet("/descriptors/commit-strategies/activities", () => List("activityCommitStrategies"));
        api.MapGet("/descriptors/output-converters", () => ElsaJson.Ok(ElsaJson.ListOf([])));
        api.MapGet("/features/installed", () => ElsaJson.Ok(ElsaJson.ListOf([])));
        api.MapGet("/features/installed/{fullName}", (string fullName) =>
            Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"feature '{fullName}' is not installed"));
        api.MapGet("/package/version", () => ElsaJson.Ok(new JsonObject { ["packageVersion"] = "3.8.0" }));
    }

    /// <summary>Every registered activity type with a descriptor (Elsa's core ones and the domain activities, their assignee pickers filled).</summary>
    /// <summary>… and, as Elsa's WorkflowDefinitionActivityProvider adds them, the definitions usable as activities.</summary>
    private static async Task<IResult> ActivitiesAsync(ActivityRegistry registry, DesignerChoices choices, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var items = new List<JsonNode>();
        foreach (var registration in registry.All.Where(r => r.Descriptor is not null).OrderBy(r => r.TypeName, StringComparer.Ordinal))
        {
            items.Add(await choices.DescribeAsync(registration.Descriptor!, cancellationToken));
        }

        // A registered type wins over a definition of the same name (the loader resolves the type the same way).
        items.AddRange((await WorkflowDefinitionActivities.DescribeAllAsync(store, cancellationToken))
            .Where(d => registry.Find(d["typeName"]!.GetValue<string>()) is null));

        return ElsaJson.Ok(ElsaJson.ListOf(items));
    }

    private static IResult List(string name) => ElsaJson.Ok(Lists.Value[name]!.DeepClone());
}
