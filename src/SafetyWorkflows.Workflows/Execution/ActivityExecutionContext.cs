using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Bookmarks;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// One run of one activity inside a workflow execution: its inputs (evaluated on demand), outputs, bookmarks,
/// children and activity-owned properties. Activities talk to the runtime only through this object.
/// </summary>
public sealed class ActivityExecutionContext
{
    internal ActivityExecutionContext(WorkflowExecution execution, ActivityNode node, ActivityContextState state, ActivityExecutionContext? parent)
    {
        Execution = execution;
        Node = node;
        State = state;
        Parent = parent;
    }

    public WorkflowExecution Execution { get; }

    public ActivityNode Node { get; }

    public ActivityContextState State { get; }

    public ActivityExecutionContext? Parent { get; }

    /// <summary>The activity instance id.</summary>
    public string Id => State.Id;

    public ActivityStatus Status => State.Status;

    /// <summary>Activity-owned persisted state.</summary>
    public JsonObject Properties => State.Properties;

    /// <summary>The outcomes this context completed with (empty for cancelled or skipped).</summary>
    public IReadOnlyList<string> Outcomes { get; internal set; } = [];

    public DateTimeOffset Now => Execution.Clock.GetUtcNow();

    public T GetRequiredService<T>()
        where T : notnull => (T)(Execution.Services.GetService(typeof(T)) ?? throw new InvalidOperationException($"Service {typeof(T).Name} is not registered."));

    /// <summary>Evaluates the input stored under <paramref name="name"/> (camelCase) and converts it to <paramref name="typeAlias"/>.</summary>
    public async ValueTask<object?> EvaluateInputAsync(string name, string typeAlias, object? defaultValue = null)
    {
        var value = await Execution.Inputs.EvaluateAsync(this, Node.Input(name), typeAlias, defaultValue);
        State.ActivityState ??= [];
        State.ActivityState[name] = Values.ToJson(value);
        return value;
    }

    public async ValueTask<string?> EvaluateStringAsync(string name, string? defaultValue = null) =>
        Values.AsText(await EvaluateInputAsync(name, "String", defaultValue));

    public async ValueTask<bool> EvaluateBoolAsync(string name, bool defaultValue = false) =>
        Values.ToBoolean(await EvaluateInputAsync(name, "Boolean", defaultValue));

    /// <summary>Reads a non-wrapped input (a raw JSON value such as SetVariable's <c>variable</c>).</summary>
    public JsonNode? RawInput(string name) => Node.Input(name);

    /// <summary>Records an output and writes it where the definition binds it (a variable or a workflow output).</summary>
    public void SetOutput(string name, object? value)
    {
        State.Outputs ??= [];
        State.Outputs[name] = Values.ToJson(value);
        Execution.RecordActivityOutput(Node, name, value);
        var binding = JsonRead.AsObject(Node.Input(name));
        var target = binding?.GetObject("memoryReference")?.GetString("id");
        if (target is null)
        {
            return;
        }

        if (Execution.Variables.TryFindById(this, target, out _))
        {
            Execution.Variables.SetById(this, target, value);
        }
        else
        {
            Execution.State.Output[target] = Values.ToJson(value);
        }
    }

    /// <summary>Completes the activity with the given outcomes (none means <c>Done</c>).</summary>
    public ValueTask CompleteAsync(params string[] outcomes) => Execution.CompleteAsync(this, outcomes.Length == 0 ? ["Done"] : outcomes);

    /// <summary>Creates a bookmark: the instance will wait here until a matching stimulus resumes it. Like Elsa's built-in
    /// activities, the hash leaves the activity instance id out unless asked, so the stimulus alone finds it.</summary>
    public Bookmark CreateBookmark(string name, JsonObject? payload, bool includeActivityInstanceIdInHash = false, string? callbackMethodName = null, bool autoBurn = true)
    {
        var bookmark = new Bookmark
        {
            Id = Execution.NewId(),
            Name = name,
            Hash = StimulusHasher.Hash(name, payload, includeActivityInstanceIdInHash ? Id : null),
            Payload = payload,
            ActivityId = Node.Id,
            ActivityNodeId = Node.NodeId,
            ActivityInstanceId = Id,
            CreatedAt = Now,
            AutoBurn = autoBurn,
            CallbackMethodName = callbackMethodName,
        };
        Execution.State.Bookmarks.Add(bookmark);
        return bookmark;
    }

    /// <summary>Schedules a child activity to run in this context (a flowchart's node, a loop's body).</summary>
    public ActivityExecutionContext ScheduleChild(ActivityNode child, bool viaBackwardConnection = false) =>
        Execution.Schedule(child, this, viaBackwardConnection);

    /// <summary>The live child contexts (running or pending) of this context.</summary>
    public IReadOnlyList<ActivityExecutionContext> RunningChildren() => Execution.ChildrenOf(this);

    /// <summary>Cancels a child and its descendants, removing their bookmarks.</summary>
    public ValueTask CancelChildAsync(ActivityExecutionContext child) => Execution.CancelAsync(child);

    /// <summary>Writes a journal entry for this activity.</summary>
    public void Journal(string eventName, JsonObject? payload = null, string? message = null) => Execution.Journal(this, eventName, payload, message);

    /// <summary>The expression view of this context (variables in scope, inputs, outputs).</summary>
    public IExpressionContext ExpressionContext => new ExpressionScope(this);
}
