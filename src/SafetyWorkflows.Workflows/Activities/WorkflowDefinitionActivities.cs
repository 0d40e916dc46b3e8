using System.Text.Json.Nodes;
using Humanizer;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>
/// Workflow-as-activity (Elsa 3.8 Elsa.Workflows.Management/Activities/WorkflowDefinitionActivity/): a definition whose
/// <c>options.usableAsActivity</c> is true is offered to the Studio as an activity type of its own, and a node of that
/// type (it carries <c>workflowDefinitionId</c> / <c>workflowDefinitionVersionId</c>, as Elsa writes it) runs the
/// definition and waits for it. The descriptor is built as Elsa's WorkflowDefinitionActivityDescriptorFactory builds it:
/// type name = the definition's name in PascalCase, category <c>options.activityCategory</c> or "Workflows", one
/// synthetic input per definition input and one synthetic output per definition output (a name that clashes with an
/// activity property gets a leading underscore, PropertyNameHelper), a flow port per definition outcome, construction
/// properties that pin the dropped node to that version. See ADR-015 for how it runs (as a child instance).
/// </summary>
public static class WorkflowDefinitionActivities
{
    /// <summary>The category Elsa gives a workflow-as-activity without <c>options.activityCategory</c>.</summary>
    public const string DefaultCategory = "Workflows";

    /// <summary>The public properties of Elsa's WorkflowDefinitionActivity (and its Composite/Activity bases): an input or
    /// output with one of these names is stored as <c>_Name</c> (Elsa's PropertyNameHelper.GetSafePropertyName).</summary>
    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "Id", "NodeId", "Name", "Type", "Version", "CanStartWorkflow", "RunAsynchronously", "CommitStrategy", "CustomProperties",
        "SyntheticProperties", "Metadata", "Behaviors", "Variables", "ResultVariable", "Root", "WorkflowDefinitionId",
        "WorkflowDefinitionVersionId", "LatestAvailablePublishedVersion", "LatestAvailablePublishedVersionId",
    };

    /// <summary>Whether an activity JSON is a workflow used as an activity (Elsa marks it by <c>workflowDefinitionId</c>).</summary>
    public static bool IsWorkflowActivity(JsonObject activity) =>
        activity.Get("workflowDefinitionId") is JsonValue id && id.GetValueKind() == System.Text.Json.JsonValueKind.String && id.GetValue<string>().Length > 0;

    /// <summary>The activity type name Elsa gives a definition: its name in PascalCase (Humanizer, as Elsa).</summary>
    public static string TypeNameOf(WorkflowDefinition definition) => (definition.Name ?? definition.DefinitionId).Pascalize();

    /// <summary>The property name an input or output of the definition is stored under on the activity.</summary>
    public static string SafeName(string name) => ReservedNames.Contains(name) ? $"_{name}" : name;

    /// <summary>The activity JSON key for an input or output (Elsa camelCases synthetic property names when writing).</summary>
    public static string JsonKey(string name) => SafeName(name).Camelize();

    /// <summary>
    /// The descriptors of every version of every definition usable as an activity (Elsa's WorkflowDefinitionActivityProvider
    /// lists all versions; only the published one is browsable, the others let nodes pinned to them still be drawn).
    /// A definition is looked at when its latest or published version is usable as an activity.
    /// </summary>
    public static async Task<IReadOnlyList<JsonObject>> DescribeAllAsync(IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        var summaries = await store.ListSummariesAsync(VersionOptions.LatestOrPublished, cancellationToken);
        foreach (var group in summaries.GroupBy(s => s.DefinitionId, StringComparer.Ordinal))
        {
            var current = new List<WorkflowDefinition>();
            foreach (var summary in group)
            {
                if (await store.FindByIdAsync(summary.Id, cancellationToken) is { } version)
                {
                    current.Add(version);
                }
            }

            if (!current.Any(d => d.Options.UsableAsActivity == true))
            {
                continue;
            }

            var versions = await store.ListVersionsAsync(group.Key, cancellationToken);
            result.AddRange(versions.Where(v => v.Options.UsableAsActivity == true).OrderBy(v => v.Version).Select(Describe));
        }

        return result;
    }

    /// <summary>Elsa's descriptor for one version (WorkflowDefinitionActivityDescriptorFactory.CreateDescriptor). Elsa uses
    /// the latest published version only when it builds a node (LatestAvailablePublishedVersion); the JSON has no place for it.</summary>
    public static JsonObject Describe(WorkflowDefinition definition)
    {
        var typeName = TypeNameOf(definition);
        var ports = new JsonArray(new JsonObject { ["name"] = "Root", ["displayName"] = "Root", ["type"] = "Embedded", ["isBrowsable"] = false });
        foreach (var outcome in definition.Outcomes)
        {
            ports.Add(new JsonObject { ["name"] = outcome, ["displayName"] = outcome, ["type"] = "Flow", ["isBrowsable"] = true });
        }

        return new JsonObject
        {
            ["typeName"] = typeName,
            ["namespace"] = null,
            ["name"] = typeName,
            ["version"] = definition.Version,
            ["category"] = definition.Options.ActivityCategory ?? DefaultCategory,
            ["displayName"] = definition.Name ?? definition.DefinitionId,
            ["description"] = definition.Description,
            ["inputs"] = new JsonArray(definition.Inputs.Select((input, i) => (JsonNode)DescribeInput(input, i)).ToArray()),
            ["outputs"] = new JsonArray(definition.Outputs.Select((output, i) => (JsonNode)DescribeOutput(output, i)).ToArray()),
            ["kind"] = "Action",
            ["runAsynchronously"] = false,
            ["ports"] = ports,
            ["customProperties"] = new JsonObject
            {
                ["RootType"] = "WorkflowDefinitionActivity",
                ["WorkflowDefinitionId"] = definition.DefinitionId,
                ["WorkflowDefinitionVersionId"] = definition.Id,
            },
            ["constructionProperties"] = new JsonObject
            {
                ["WorkflowDefinitionId"] = definition.DefinitionId,
                ["WorkflowDefinitionVersionId"] = definition.Id,
                ["Version"] = definition.Version,
            },
            ["isContainer"] = false,
            ["isBrowsable"] = definition.IsPublished,
            ["isStart"] = false,
            ["isTerminal"] = false,
        };
    }

    private static JsonObject DescribeInput(ArgumentDefinition input, int order) => new()
    {
        ["name"] = SafeName(input.Name),
        ["typeName"] = input.Type,
        ["displayName"] = input.Json.GetString("displayName") ?? input.Name,
        ["description"] = input.Json.GetString("description"),
        ["category"] = input.Json.GetString("category"),
        ["order"] = order,
        ["isWrapped"] = true,
        ["uiHint"] = input.Json.GetString("uiHint") ?? "singleline",
        ["defaultValue"] = null,
        ["defaultSyntax"] = "Literal",
        ["isReadOnly"] = false,
        ["isBrowsable"] = true,
        ["isSerializable"] = true,
        ["isSynthetic"] = true,
        ["isSensitive"] = false,
        ["autoEvaluate"] = true,
        ["storageDriverType"] = input.Json.GetString("storageDriverType"),
        ["uiSpecifications"] = new JsonObject(),
    };

    private static JsonObject DescribeOutput(ArgumentDefinition output, int order) => new()
    {
        ["name"] = SafeName(output.Name),
        ["typeName"] = output.Type,
        ["displayName"] = output.Json.GetString("displayName") ?? output.Name,
        ["description"] = output.Json.GetString("description"),
        ["order"] = order,
        ["isBrowsable"] = true,
        ["isSerializable"] = true,
        ["isSynthetic"] = true,
    };
}

/// <summary>
/// The behaviour of a workflow-as-activity node. Elsa's WorkflowDefinitionActivity finds the version the node names
/// (<c>workflowDefinitionVersionId</c>, else its <c>version</c>), falling back to the published and then the latest
/// version (GetWorkflowDefinitionAsync); evaluates the node's synthetic inputs into the child's inputs
/// (CopyInputOutputToVariablesAsync); runs the child and, when it completes, copies the child's outputs to the node's
/// outputs (OnChildCompletedAsync) and completes with the outcomes of a <c>Complete</c> the child ran, or <c>Done</c>.
/// Unlike Elsa, which runs the child's activities inline in the parent instance, the child runs as an instance of its
/// own whose parent is this one, the way ExecuteWorkflow runs it; the node waits on the same bookmark ExecuteWorkflow
/// waits on, so the host resumes it when the child finishes (ADR-015).
/// </summary>
public sealed class WorkflowDefinitionActivity : IResumableActivity
{
    /// <summary>Where a child's <c>Elsa.Complete</c> leaves its outcomes (<see cref="WorkflowState.Properties"/>).</summary>
    public const string CompleteOutcomesKey = "CompleteCompositeOutcomes";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var json = context.Node.Json;
        var definitionId = json.GetString("workflowDefinitionId")!;
        var token = context.Execution.CancellationToken;
        var scopes = context.GetRequiredService<IServiceScopeFactory>();
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IWorkflowDefinitionStore>();
        WorkflowDefinition? definition = null;
        if (json.GetString("workflowDefinitionVersionId") is { Length: > 0 } versionId)
        {
            definition = await store.FindByIdAsync(versionId, token);
            definition = definition?.DefinitionId == definitionId ? definition : null;
        }
        else if (json.GetInt("version") is { } version)
        {
            definition = await store.FindAsync(definitionId, VersionOptions.SpecificVersion(version), token);
        }

        definition ??= await store.FindAsync(definitionId, VersionOptions.Published, token)
            ?? await store.FindAsync(definitionId, VersionOptions.Latest, token)
            ?? throw new InvalidOperationException($"Could not find workflow definition with ID {definitionId}.");

        var input = new JsonObject();
        foreach (var argument in definition.Inputs)
        {
            var key = WorkflowDefinitionActivities.JsonKey(argument.Name);
            if (context.RawInput(key) is not null)
            {
                var value = await context.EvaluateInputAsync(key, argument.IsArray ? $"List<{argument.Type}>" : argument.Type);
                input[argument.Name] = Values.ToJson(value);
            }
        }

        var run = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(definition, new StartWorkflowRequest
        {
            CorrelationId = context.Execution.State.CorrelationId,
            Input = input,
            ParentWorkflowInstanceId = context.Execution.State.Id,
        }, token);
        ChildWorkflowActivity.RecordChild(context.Execution.State, run.State.Id);
        if (run.State.Status == WorkflowStatus.Finished)
        {
            await FinishAsync(context, definition, run.State);
            return;
        }

        context.Properties["childInstanceId"] = run.State.Id;
        context.Properties["childDefinitionVersionId"] = definition.Id;
        context.CreateBookmark(ExecuteWorkflow.TypeName, ChildWorkflowActivity.Payload(run.State.Id));
    }

    public async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? input)
    {
        var childId = bookmark.Payload?.GetString("ChildInstanceId") ?? context.Properties.GetString("childInstanceId")
            ?? throw new InvalidOperationException($"{context.Node} resumed without its child instance");
        var scopes = context.GetRequiredService<IServiceScopeFactory>();
        await using var scope = scopes.CreateAsyncScope();
        var token = context.Execution.CancellationToken;
        var child = await scope.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>().FindAsync(childId, token)
            ?? throw new InvalidOperationException($"child workflow instance '{childId}' of {context.Node} not found");
        var definition = await scope.ServiceProvider.GetRequiredService<IWorkflowDefinitionStore>().FindByIdAsync(child.State.DefinitionVersionId, token)
            ?? throw new InvalidOperationException($"definition version '{child.State.DefinitionVersionId}' of child '{childId}' not found");
        await FinishAsync(context, definition, child.State);
    }

    private static async ValueTask FinishAsync(ActivityExecutionContext context, WorkflowDefinition definition, WorkflowState child)
    {
        if (child.SubStatus is not WorkflowSubStatus.Finished)
        {
            // In Elsa the child's fault is a fault of the activity itself (its activities run inside it).
            throw new InvalidOperationException($"workflow '{definition.Name ?? definition.DefinitionId}' (instance {child.Id}) ended {child.SubStatus}");
        }

        foreach (var argument in definition.Outputs)
        {
            context.SetOutput(WorkflowDefinitionActivities.JsonKey(argument.Name), Values.FromJson(child.Output[argument.Name]?.DeepClone()));
        }

        var outcomes = (child.Properties[CompleteOutcomesKey] as JsonArray ?? []).Select(JsonRead.AsString).OfType<string>().ToArray();
        await context.CompleteAsync(outcomes);
    }
}
