using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>Elsa's <c>WorkflowStatus</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowStatus>))]
public enum WorkflowStatus
{
    Running,
    Finished,
}

/// <summary>Elsa's <c>WorkflowSubStatus</c>: Pending, Executing and Suspended are Running; the rest are Finished.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowSubStatus>))]
public enum WorkflowSubStatus
{
    Pending,
    Executing,
    Suspended,
    Finished,
    Cancelled,
    Faulted,
    Interrupted,
}

/// <summary>Elsa's <c>ActivityStatus</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivityStatus>))]
public enum ActivityStatus
{
    Pending,
    Running,
    Completed,
    Canceled,
    Faulted,
}

/// <summary>
/// The persisted state of one workflow instance, in the JSON shape of Elsa's <c>WorkflowState</c> (what the Studio's
/// instance viewer reads). Activity execution contexts carry our extra fields (<c>status</c>, <c>startedAt</c>…) beside
/// Elsa's, which Elsa clients ignore.
/// </summary>
public sealed class WorkflowState
{
    public string Id { get; set; } = "";

    public string DefinitionId { get; set; } = "";

    public string DefinitionVersionId { get; set; } = "";

    public int DefinitionVersion { get; set; }

    public string? ParentWorkflowInstanceId { get; set; }

    public string? CorrelationId { get; set; }

    public string? Name { get; set; }

    public WorkflowStatus Status { get; set; } = WorkflowStatus.Running;

    public WorkflowSubStatus SubStatus { get; set; } = WorkflowSubStatus.Pending;

    public bool IsExecuting { get; set; }

    public List<Bookmark> Bookmarks { get; set; } = [];

    public List<Incident> Incidents { get; set; } = [];

    public List<JsonObject> CompletionCallbacks { get; set; } = [];

    public List<ActivityContextState> ActivityExecutionContexts { get; set; } = [];

    public List<JsonObject> ScheduledActivities { get; set; } = [];

    public long ExecutionLogSequence { get; set; }

    public JsonObject Input { get; set; } = [];

    public JsonObject Output { get; set; } = [];

    public JsonObject Properties { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>One activity execution context (Elsa: <c>ActivityExecutionContextState</c>).</summary>
public sealed class ActivityContextState
{
    public string Id { get; set; } = "";

    public string? ParentContextId { get; set; }

    public string ScheduledActivityNodeId { get; set; } = "";

    public string? OwnerActivityNodeId { get; set; }

    /// <summary>Activity-owned state (flowchart counters, loop positions…).</summary>
    public JsonObject Properties { get; set; } = [];

    /// <summary>The evaluated inputs, as the journal and the instance viewer show them.</summary>
    public JsonObject? ActivityState { get; set; }

    /// <summary>Values of container-scoped variables declared by this activity, by variable id.</summary>
    public JsonObject? DynamicVariables { get; set; }

    public ActivityStatus Status { get; set; } = ActivityStatus.Running;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int FaultCount { get; set; }

    public int CallStackDepth { get; set; }

    public string? SchedulingActivityExecutionId { get; set; }

    /// <summary>Outputs the activity produced, by output name.</summary>
    public JsonObject? Outputs { get; set; }

    /// <summary>Set when the context is a re-run through a backward connection (its visit is not counted again).</summary>
    public bool ViaBackwardConnection { get; set; }
}

/// <summary>Where an instance waits (Elsa's <c>Bookmark</c>).</summary>
public sealed class Bookmark
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Hash { get; set; } = "";

    public JsonObject? Payload { get; set; }

    public string ActivityId { get; set; } = "";

    public string ActivityNodeId { get; set; } = "";

    public string ActivityInstanceId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public bool AutoBurn { get; set; } = true;

    public string? CallbackMethodName { get; set; }

    public bool AutoComplete { get; set; } = true;

    public JsonObject? Metadata { get; set; }
}

/// <summary>A fault recorded on the instance (Elsa's <c>ActivityIncident</c>, plus an <c>id</c> by which it is retried).</summary>
public sealed class Incident
{
    public string Id { get; set; } = "";

    public string ActivityId { get; set; } = "";

    public string ActivityNodeId { get; set; } = "";

    public string ActivityType { get; set; } = "";

    public string Message { get; set; } = "";

    public ExceptionState? Exception { get; set; }

    public DateTimeOffset Timestamp { get; set; }
}

public sealed class ExceptionState
{
    public string Type { get; set; } = "";

    public string Message { get; set; } = "";

    public string? StackTrace { get; set; }

    public ExceptionState? InnerException { get; set; }

    public static ExceptionState From(Exception exception) => new()
    {
        Type = exception.GetType().FullName ?? exception.GetType().Name,
        Message = exception.Message,
        StackTrace = exception.StackTrace,
        InnerException = exception.InnerException is { } inner ? From(inner) : null,
    };
}

/// <summary>One journal entry (Elsa's <c>WorkflowExecutionLogRecord</c>).</summary>
public sealed record JournalRecord
{
    public string Id { get; init; } = "";

    public string WorkflowDefinitionId { get; init; } = "";

    public string WorkflowDefinitionVersionId { get; init; } = "";

    public string WorkflowInstanceId { get; init; } = "";

    public int WorkflowVersion { get; init; }

    public string ActivityInstanceId { get; init; } = "";

    public string? ParentActivityInstanceId { get; init; }

    public string ActivityId { get; init; } = "";

    public string ActivityType { get; init; } = "";

    public int ActivityTypeVersion { get; init; }

    public string? ActivityName { get; init; }

    public string NodeId { get; init; } = "";

    public DateTimeOffset Timestamp { get; init; }

    public long Sequence { get; init; }

    public string? EventName { get; init; }

    public string? Message { get; init; }

    public string? Source { get; init; }

    public JsonObject? ActivityState { get; init; }

    public JsonObject? Payload { get; init; }
}

/// <summary>One run of one activity (Elsa's <c>ActivityExecutionRecord</c>).</summary>
public sealed record ActivityExecutionRecord
{
    public string Id { get; init; } = "";

    public string WorkflowInstanceId { get; init; } = "";

    public string ActivityId { get; init; } = "";

    public string ActivityNodeId { get; init; } = "";

    public string ActivityType { get; init; } = "";

    public int ActivityTypeVersion { get; init; }

    public string? ActivityName { get; init; }

    public JsonObject? ActivityState { get; init; }

    public JsonObject? Payload { get; init; }

    public JsonObject? Outputs { get; init; }

    public JsonObject? Properties { get; init; }

    public JsonObject? Metadata { get; init; }

    public ExceptionState? Exception { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public bool HasBookmarks { get; init; }

    public ActivityStatus Status { get; init; }

    public int AggregateFaultCount { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? SchedulingActivityExecutionId { get; init; }

    public string? SchedulingActivityId { get; init; }

    public string? SchedulingWorkflowInstanceId { get; init; }

    public int CallStackDepth { get; init; }
}
