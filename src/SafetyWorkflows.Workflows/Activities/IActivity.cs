using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>The behaviour of one activity type (Elsa's <c>type</c>, e.g. <c>Elsa.WriteLine</c>).</summary>
public interface IActivity
{
    /// <summary>Runs the activity. It completes (<see cref="ActivityExecutionContext.CompleteAsync"/>), creates bookmarks,
    /// schedules children, or throws (a fault, recorded as an incident).</summary>
    ValueTask ExecuteAsync(ActivityExecutionContext context);
}

/// <summary>An activity that schedules children and hears when each one ends (Flowchart, loops, If, FlowNode).</summary>
public interface IContainerActivity : IActivity
{
    ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child);
}

/// <summary>An activity whose bookmark, when resumed, runs code rather than simply completing it.</summary>
public interface IResumableActivity : IActivity
{
    ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? input);
}

/// <summary>An activity that always waits on a bookmark (a timer, an event) before it completes: it breaks a loop.</summary>
public interface IBlockingActivity : IActivity;

/// <summary>An activity that can start workflows; published definitions index its triggers.</summary>
public interface ITriggerActivity : IActivity
{
    /// <summary>The trigger entries (stimulus name and payload) for an activity marked <c>canStartWorkflow</c>.</summary>
    ValueTask<IReadOnlyList<TriggerSpec>> GetTriggersAsync(ActivityNode node, TriggerIndexingContext context);
}

/// <summary>An activity that checks its own configuration when a definition is loaded (e.g. "no assignees").</summary>
public interface IValidatingActivity : IActivity
{
    IEnumerable<string> Validate(ActivityNode node);

    /// <summary>
    /// Checks the activity against the connections of the flowchart that holds it, once they are all read (e.g. a port
    /// that an input makes reachable must be wired). Called only for activities inside a flowchart.
    /// </summary>
    IEnumerable<string> ValidateConnections(ActivityNode node, FlowGraph flow) => [];
}

/// <summary>A trigger to index: stimulus name plus payload (hashed with <see cref="Bookmarks.StimulusHasher"/>).</summary>
public sealed record TriggerSpec(string Name, JsonObject Payload);

/// <summary>What trigger indexing may need: expression evaluation against an empty workflow.</summary>
public sealed record TriggerIndexingContext(Func<ActivityNode, string, string, ValueTask<object?>> EvaluateInputAsync);
