using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows.Bookmarks;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>
/// <c>Elsa.ExecuteWorkflow</c> and <c>Elsa.DispatchWorkflow</c> (Elsa.Workflows.Runtime/Activities/ExecuteWorkflow.cs,
/// DispatchWorkflow.cs): start an instance of the published version of <c>workflowDefinitionId</c> as a child (its
/// <c>parentWorkflowInstanceId</c> is this instance), with <c>input</c> and <c>correlationId</c>. Without
/// <c>waitForCompletion</c> the activity completes at once. With it, a child that already finished gives its result at
/// once; otherwise the activity waits on a bookmark keyed by the child's id, which the host resumes when the child
/// finishes (Elsa's ResumeExecuteWorkflowActivity / ResumeDispatchWorkflowActivity), with the child's output as result.
/// ExecuteWorkflow's immediate result is Elsa's <c>ExecuteWorkflowResult</c> (<c>workflowInstanceId, status, subStatus,
/// output</c>). The child runs and is committed in a scope of its own, during the parent's run: this runtime has no
/// background dispatch queue, so DispatchWorkflow starts the child the same way and only differs in not waiting by default.
/// </summary>
public abstract class ChildWorkflowActivity(string stimulusName) : IResumableActivity
{
    public const string ChildOutputInputKey = "__ChildWorkflowOutput";

    public string StimulusName { get; } = stimulusName;

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var definitionId = await context.EvaluateStringAsync("workflowDefinitionId");
        if (string.IsNullOrWhiteSpace(definitionId))
        {
            throw new InvalidOperationException($"{context.Node.Type} '{context.Node.Id}' names no workflowDefinitionId");
        }

        var wait = await context.EvaluateBoolAsync("waitForCompletion");
        var input = Values.ToJson(await context.EvaluateInputAsync("input", "Object")) as JsonObject ?? [];
        input["ParentInstanceId"] = context.Execution.State.Id;
        var correlationId = await context.EvaluateStringAsync("correlationId");
        var scopes = context.GetRequiredService<IServiceScopeFactory>();
        await using var scope = scopes.CreateAsyncScope();
        var definitions = scope.ServiceProvider.GetRequiredService<IWorkflowDefinitionStore>();
        var definition = await definitions.FindAsync(definitionId, VersionOptions.Published, context.Execution.CancellationToken)
            ?? throw new InvalidOperationException($"No published version of workflow definition '{definitionId}' found.");
        var run = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(definition, new StartWorkflowRequest
        {
            CorrelationId = string.IsNullOrEmpty(correlationId) ? null : correlationId,
            Input = input,
            ParentWorkflowInstanceId = context.Execution.State.Id,
        }, context.Execution.CancellationToken);
        var child = run.State;
        RecordChild(context.Execution.State, child.Id);
        if (!wait || child.Status == WorkflowStatus.Finished)
        {
            context.SetOutput("result", new JsonObject
            {
                ["workflowInstanceId"] = child.Id,
                ["status"] = child.Status.ToString(),
                ["subStatus"] = child.SubStatus.ToString(),
                ["output"] = child.Output.DeepClone(),
            });
            await context.CompleteAsync();
            return;
        }

        context.CreateBookmark(StimulusName, Payload(child.Id));
    }

    public async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? input)
    {
        context.SetOutput("result", Values.FromJson(context.Execution.State.Input[ChildOutputInputKey]));
        await context.CompleteAsync();
    }

    /// <summary>Where an instance lists the children it started (a cancel of the instance cancels them, as in Elsa).</summary>
    public const string ChildrenKey = "ChildWorkflowInstanceIds";

    /// <summary>Notes a child started by <paramref name="parent"/>: Elsa's WorkflowCancellationService finds children by
    /// their ParentWorkflowInstanceId; our store has no such index, so the parent keeps the list.</summary>
    public static void RecordChild(WorkflowState parent, string childInstanceId)
    {
        if (parent.Properties[ChildrenKey] is not JsonArray children)
        {
            children = [];
            parent.Properties[ChildrenKey] = children;
        }

        children.Add(childInstanceId);
    }

    /// <summary>The children <paramref name="parent"/> started (see <see cref="RecordChild"/>).</summary>
    public static IReadOnlyList<string> ChildrenOf(WorkflowState parent) =>
        (parent.Properties[ChildrenKey] as JsonArray ?? []).Select(JsonRead.AsString).OfType<string>().ToList();

    public static JsonObject Payload(string childInstanceId) => new() { ["ChildInstanceId"] = childInstanceId };

    public static string Hash(string stimulusName, string childInstanceId) => StimulusHasher.Hash(stimulusName, Payload(childInstanceId));
}

public sealed class ExecuteWorkflow() : ChildWorkflowActivity(TypeName)
{
    public const string TypeName = "Elsa.ExecuteWorkflow";
}

public sealed class DispatchWorkflow() : ChildWorkflowActivity(TypeName)
{
    public const string TypeName = "Elsa.DispatchWorkflow";
}
