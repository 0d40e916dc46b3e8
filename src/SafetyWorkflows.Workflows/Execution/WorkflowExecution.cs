using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// One run of one instance: rebuilds the live activity contexts from the state, drains the scheduler until nothing is
/// left to do (the instance finished, or waits on bookmarks), and collects the journal and activity execution records
/// for the host to persist in the same transaction as the state.
/// </summary>
public sealed class WorkflowExecution
{
    private const string ActivityOutputsKey = "ActivityOutputs";

    private readonly Queue<WorkItem> _queue = new();
    private readonly Dictionary<string, ActivityExecutionContext> _contexts = new(StringComparer.Ordinal);
    private readonly List<JournalRecord> _journal = [];
    private readonly Dictionary<string, ActivityExecutionRecord> _records = new(StringComparer.Ordinal);
    private readonly List<PublishedEvent> _events = [];
    private readonly List<RunTaskRequest> _taskRequests = [];
    private readonly BurstMeter _meter;
    private readonly CancellationToken _cancelRequested;
    private bool _stopped;
    private bool _finishedByFinish;

    internal WorkflowExecution(
        Workflow workflow, WorkflowState state, WorkflowRuntimeServices runtime, IServiceProvider services, CancellationToken cancellationToken,
        CancellationToken cancelRequested = default)
    {
        Workflow = workflow;
        State = state;
        Clock = runtime.Clock;
        Inputs = runtime.Inputs;
        Services = services;
        CancellationToken = cancellationToken;
        _cancelRequested = cancelRequested;
        _meter = new BurstMeter(runtime.Budget, runtime.Memory);
        Variables = new VariableScope();
        foreach (var contextState in state.ActivityExecutionContexts)
        {
            Rehydrate(contextState);
        }
    }

    public Workflow Workflow { get; }

    public WorkflowState State { get; }

    public TimeProvider Clock { get; }

    public IServiceProvider Services { get; }

    public CancellationToken CancellationToken { get; }

    public VariableScope Variables { get; }

    internal InputEvaluator Inputs { get; }

    /// <summary>The result output of the activity that completed last (<c>getLastResult()</c>).</summary>
    public object? LastResult { get; private set; }

    public IReadOnlyList<JournalRecord> JournalRecords => _journal;

    public IReadOnlyCollection<ActivityExecutionRecord> ActivityExecutionRecords => _records.Values;

    /// <summary>Events published by <c>Elsa.PublishEvent</c> during the run, for the host to deliver after commit.</summary>
    public IReadOnlyList<PublishedEvent> PublishedEvents => _events;

    /// <summary>Task requests made by <c>Elsa.RunTask</c> during the run.</summary>
    public IReadOnlyList<RunTaskRequest> TaskRequests => _taskRequests;

    public string NewId() => Guid.NewGuid().ToString("N")[..16];

    internal void AddPublishedEvent(PublishedEvent published) => _events.Add(published);

    internal void AddTaskRequest(RunTaskRequest request) => _taskRequests.Add(request);

    /// <summary>Starts a new instance at the root, with its variables' defaults.</summary>
    internal async Task StartAsync(string? triggerActivityId)
    {
        if (triggerActivityId is not null)
        {
            State.Properties["triggerActivityId"] = triggerActivityId;
        }

        Schedule(Workflow.Root, null, false);
        await RunAsync();
    }

    /// <summary>Resumes the activity that owns <paramref name="bookmark"/> with the stimulus input.</summary>
    internal async Task ResumeAsync(Bookmark bookmark, JsonNode? input)
    {
        if (!_contexts.TryGetValue(bookmark.ActivityInstanceId, out var context))
        {
            throw new InvalidOperationException($"bookmark {bookmark.Id} points at activity instance {bookmark.ActivityInstanceId}, which is not running");
        }

        if (bookmark.AutoBurn)
        {
            State.Bookmarks.RemoveAll(b => b.Id == bookmark.Id);
        }

        _queue.Enqueue(new WorkItem(context.Id, bookmark, input));
        await RunAsync();
    }

    /// <summary>
    /// Retries a faulted instance (Elsa's retry alteration): re-runs each faulted activity (all of them, or those of
    /// <paramref name="activityIds"/>) from its start, puts back the work a budget stop left scheduled, clears the
    /// retried incidents and runs. A fault on the way records new incidents, as any run does.
    /// </summary>
    internal async Task RetryAsync(IReadOnlyCollection<string>? activityIds)
    {
        bool Selected(string activityId) => activityIds is null || activityIds.Count == 0 || activityIds.Contains(activityId);

        foreach (var context in _contexts.Values.Where(c => c.Status == ActivityStatus.Faulted && Selected(c.Node.Id)).ToList())
        {
            context.State.Status = ActivityStatus.Running;
            context.State.CompletedAt = null;
            _queue.Enqueue(new WorkItem(context.Id, null, null));
        }

        foreach (var saved in State.ScheduledActivities)
        {
            _queue.Enqueue(WorkItem.FromJson(saved));
        }

        State.ScheduledActivities.Clear();
        State.Incidents.RemoveAll(i => Selected(i.ActivityId));
        State.Status = WorkflowStatus.Running;
        State.SubStatus = WorkflowSubStatus.Executing;
        State.FinishedAt = null;
        await RunAsync();
    }

    /// <summary>Cancels the whole instance: every context, every bookmark.</summary>
    internal Task CancelInstanceAsync()
    {
        _queue.Clear();
        State.ScheduledActivities.Clear();
        State.Bookmarks.Clear();
        State.SubStatus = WorkflowSubStatus.Cancelled;
        State.Status = WorkflowStatus.Finished;
        State.FinishedAt = Clock.GetUtcNow();
        State.UpdatedAt = Clock.GetUtcNow();
        JournalWorkflow("Workflow cancelled");
        State.ActivityExecutionContexts = _contexts.Values.Select(c => c.State).ToList();
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        State.SubStatus = WorkflowSubStatus.Executing;
        State.IsExecuting = true;
        while (!_stopped && _queue.TryDequeue(out var item))
        {
            CancellationToken.ThrowIfCancellationRequested();
            if (!_contexts.TryGetValue(item.ContextId, out var context) || context.Status != ActivityStatus.Running)
            {
                continue;
            }

            if (_cancelRequested.IsCancellationRequested)
            {
                // Cancelled from outside while running (a dispatched runaway): the instance ends here, as Cancelled.
                await CancelInstanceAsync();
                break;
            }

            if (_meter.Next() is { } exceeded)
            {
                StopOverBudget(context, item, exceeded);
                break;
            }

            try
            {
                if (item.Bookmark is null)
                {
                    Journal(context, "Started");
                    await context.Node.Behaviour.ExecuteAsync(context);
                }
                else
                {
                    Journal(context, "Resumed");
                    if (context.Node.Behaviour is IResumableActivity resumable)
                    {
                        await resumable.ResumeAsync(context, item.Bookmark, item.Input);
                    }
                    else if (item.Bookmark.AutoComplete)
                    {
                        await context.CompleteAsync();
                    }
                }

                if (context.Status == ActivityStatus.Running && State.Bookmarks.Any(b => b.ActivityInstanceId == context.Id))
                {
                    Journal(context, "Suspended");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fault(context, ex);
            }
        }

        State.IsExecuting = false;
        State.UpdatedAt = Clock.GetUtcNow();
        if (State.SubStatus == WorkflowSubStatus.Executing)
        {
            // Finished when every context has completed (the root included); otherwise it waits on bookmarks or incidents.
            var done = _contexts.Values.All(c => c.Status is ActivityStatus.Completed or ActivityStatus.Canceled);
            State.SubStatus = done ? WorkflowSubStatus.Finished : WorkflowSubStatus.Suspended;
        }

        if (State.SubStatus is WorkflowSubStatus.Faulted or WorkflowSubStatus.Cancelled or WorkflowSubStatus.Finished)
        {
            State.Status = WorkflowStatus.Finished;
            State.FinishedAt ??= Clock.GetUtcNow();
        }
        else
        {
            State.Status = WorkflowStatus.Running;
        }

        State.ActivityExecutionContexts = _contexts.Values.Select(c => c.State).ToList();
    }

    internal ActivityExecutionContext Schedule(ActivityNode node, ActivityExecutionContext? parent, bool viaBackwardConnection)
    {
        var state = new ActivityContextState
        {
            Id = NewId(),
            ParentContextId = parent?.Id,
            ScheduledActivityNodeId = node.NodeId,
            OwnerActivityNodeId = parent?.Node.NodeId,
            Status = ActivityStatus.Running,
            StartedAt = Clock.GetUtcNow(),
            ViaBackwardConnection = viaBackwardConnection,
            SchedulingActivityExecutionId = parent?.Id,
            CallStackDepth = parent is null ? 0 : parent.State.CallStackDepth + 1,
        };
        var context = Rehydrate(state);
        _queue.Enqueue(new WorkItem(context.Id, null, null));
        return context;
    }

    private ActivityExecutionContext Rehydrate(ActivityContextState state)
    {
        if (!Workflow.NodesByNodeId.TryGetValue(state.ScheduledActivityNodeId, out var node))
        {
            throw new InvalidOperationException($"the instance refers to activity {state.ScheduledActivityNodeId}, which this definition version does not have");
        }

        var parent = state.ParentContextId is null ? null : _contexts.GetValueOrDefault(state.ParentContextId);
        var context = new ActivityExecutionContext(this, node, state, parent);
        _contexts[state.Id] = context;
        return context;
    }

    internal bool HasFaultedChild(ActivityExecutionContext parent) =>
        _contexts.Values.Any(c => c.Parent == parent && c.Status == ActivityStatus.Faulted);

    internal IReadOnlyList<ActivityExecutionContext> ChildrenOf(ActivityExecutionContext parent) =>
        _contexts.Values.Where(c => c.Parent == parent && c.Status == ActivityStatus.Running).ToList();

    internal bool HasQueuedWorkUnder(ActivityExecutionContext parent) =>
        _queue.Any(item => _contexts.TryGetValue(item.ContextId, out var c) && c.Parent == parent);

    internal async ValueTask CompleteAsync(ActivityExecutionContext context, IReadOnlyList<string> outcomes)
    {
        if (context.Status != ActivityStatus.Running)
        {
            return;
        }

        foreach (var child in ChildrenOf(context))
        {
            await CancelAsync(child);
        }

        context.State.Status = ActivityStatus.Completed;
        context.State.CompletedAt = Clock.GetUtcNow();
        context.Outcomes = outcomes;
        State.Bookmarks.RemoveAll(b => b.ActivityInstanceId == context.Id);
        Journal(context, "Completed", recordPayload: new JsonObject { ["Outcomes"] = new JsonArray(outcomes.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray()) });
        if ((context.State.Outputs?["result"] ?? context.State.Outputs?["Result"]) is { } result)
        {
            LastResult = Values.FromJson(result);
        }

        if (context.Parent is not null)
        {
            _contexts.Remove(context.Id);
        }

        await NotifyParentAsync(context);
    }

    private async ValueTask NotifyParentAsync(ActivityExecutionContext context)
    {
        // After Elsa.Finish no completion callback runs: its flowchart and the workflow stay as they are (as in Elsa).
        if (context.Parent is null || _finishedByFinish)
        {
            return;
        }

        if (context.Parent.Status == ActivityStatus.Running && context.Parent.Node.Behaviour is IContainerActivity container)
        {
            try
            {
                await container.OnChildCompletedAsync(context.Parent, context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fault(context.Parent, ex);
            }
        }
    }

    /// <summary>Cancels a context and its descendants (bookmarks removed); the parent hears of it with no outcomes.</summary>
    internal async ValueTask CancelAsync(ActivityExecutionContext context, bool notifyParent = false)
    {
        if (context.Status != ActivityStatus.Running)
        {
            return;
        }

        foreach (var child in ChildrenOf(context))
        {
            await CancelAsync(child);
        }

        context.State.Status = ActivityStatus.Canceled;
        context.State.CompletedAt = Clock.GetUtcNow();
        context.Outcomes = [];
        State.Bookmarks.RemoveAll(b => b.ActivityInstanceId == context.Id);
        Journal(context, "Canceled");
        _contexts.Remove(context.Id);
        if (notifyParent)
        {
            await NotifyParentAsync(context);
        }
    }

    /// <summary>Records a fault as an incident and applies the incident strategy.</summary>
    internal void Fault(ActivityExecutionContext context, Exception exception)
    {
        context.State.Status = ActivityStatus.Faulted;
        context.State.CompletedAt = Clock.GetUtcNow();
        for (var current = context; current is not null; current = current.Parent)
        {
            current.State.FaultCount++;
        }

        var exceptionState = ExceptionState.From(exception);
        State.Incidents.Add(new Incident
        {
            Id = NewId(),
            ActivityId = context.Node.Id,
            ActivityNodeId = context.Node.NodeId,
            ActivityType = context.Node.Type,
            Message = exception.Message,
            Exception = exceptionState,
            Timestamp = Clock.GetUtcNow(),
        });
        Journal(context, "Faulted", new JsonObject
        {
            ["Exception"] = exception.GetType().FullName,
            ["Message"] = exception.Message,
            ["Source"] = exception.Source,
            ["StackTrace"] = exception.StackTrace,
            ["InnerException"] = exception.InnerException?.GetType().Name,
        }, exception.Message, exceptionState);

        // FaultStrategy ends the instance (the scheduler still drains what is queued, as Elsa's does);
        // ContinueWithIncidentsStrategy leaves other branches running and the instance ends Suspended.
        if (!Workflow.ContinueWithIncidents && State.SubStatus is not (WorkflowSubStatus.Cancelled or WorkflowSubStatus.Finished))
        {
            State.SubStatus = WorkflowSubStatus.Faulted;
        }
    }

    /// <summary>
    /// The run went over its budget: the instance faults with an incident naming the limit, on the activity that was
    /// about to run. That activity and everything still scheduled are kept in <c>scheduledActivities</c>, so a retry
    /// carries on exactly where the run stopped.
    /// </summary>
    private void StopOverBudget(ActivityExecutionContext next, WorkItem item, BudgetExceededException exceeded)
    {
        State.ScheduledActivities = [item.ToJson(), .. _queue.Select(w => w.ToJson())];
        _queue.Clear();
        var exceptionState = ExceptionState.From(exceeded);
        State.Incidents.Add(new Incident
        {
            Id = NewId(),
            ActivityId = next.Node.Id,
            ActivityNodeId = next.Node.NodeId,
            ActivityType = next.Node.Type,
            Message = exceeded.Message,
            Exception = exceptionState,
            Timestamp = Clock.GetUtcNow(),
        });
        Journal(next, "Faulted", new JsonObject { ["Exception"] = exceeded.GetType().FullName, ["Message"] = exceeded.Message, ["Budget"] = exceeded.Limit.ToString() },
            exceeded.Message, exceptionState);
        State.SubStatus = WorkflowSubStatus.Faulted;
        _stopped = true;
    }

    /// <summary>Finish: clears every scheduled item and bookmark, and ends the workflow.</summary>
    internal void FinishWorkflow()
    {
        _queue.Clear();
        State.Bookmarks.Clear();
        State.SubStatus = WorkflowSubStatus.Finished;
        _stopped = true;
        _finishedByFinish = true;
    }

    internal void RecordActivityOutput(ActivityNode node, string name, object? value)
    {
        if (State.Properties[ActivityOutputsKey] is not JsonObject outputs)
        {
            outputs = [];
            State.Properties[ActivityOutputsKey] = outputs;
        }

        if (outputs[node.Id] is not JsonObject forNode)
        {
            forNode = [];
            outputs[node.Id] = forNode;
        }

        forNode[name] = Values.ToJson(value);
    }

    internal IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> ActivityOutputs()
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        if (State.Properties[ActivityOutputsKey] is not JsonObject outputs)
        {
            return result;
        }

        foreach (var (activityId, values) in outputs)
        {
            if (values is not JsonObject forNode)
            {
                continue;
            }

            var dictionary = forNode.ToDictionary(p => p.Key, p => Values.FromJson(p.Value), StringComparer.OrdinalIgnoreCase);
            result[activityId] = dictionary;
            if (Workflow.FindByActivityId(activityId)?.Name is { } name && !result.ContainsKey(name))
            {
                result[name] = dictionary;
            }
        }

        return result;
    }

    internal void Journal(ActivityExecutionContext context, string eventName, JsonObject? payload = null, string? message = null, ExceptionState? exception = null, JsonObject? recordPayload = null)
    {
        _journal.Add(NewJournalRecord(context.Node, context.Node.NodeId, context.Id, eventName) with
        {
            ParentActivityInstanceId = context.Parent?.Id,
            Message = message,
            Payload = payload,
        });

        _records.TryGetValue(context.Id, out var record);
        record ??= new ActivityExecutionRecord
        {
            Id = context.Id,
            WorkflowInstanceId = State.Id,
            ActivityId = context.Node.Id,
            ActivityNodeId = context.Node.NodeId,
            ActivityType = context.Node.Type,
            ActivityTypeVersion = context.Node.Version,
            ActivityName = context.Node.Name,
            StartedAt = context.State.StartedAt,
            SchedulingActivityExecutionId = context.State.SchedulingActivityExecutionId,
            SchedulingActivityId = context.Parent?.Node.Id,
            CallStackDepth = context.State.CallStackDepth,
        };
        _records[context.Id] = record with
        {
            ActivityState = context.State.ActivityState?.DeepClone() as JsonObject,
            Outputs = context.State.Outputs?.DeepClone() as JsonObject,
            Properties = context.State.Properties.DeepClone() as JsonObject,
            Payload = recordPayload ?? record.Payload,
            Status = context.Status,
            CompletedAt = context.State.CompletedAt,
            HasBookmarks = State.Bookmarks.Any(b => b.ActivityInstanceId == context.Id),
            Exception = exception ?? record.Exception,
            AggregateFaultCount = context.State.FaultCount,
        };
    }

    /// <summary>Workflow-level entries (e.g. "Workflow cancelled") use the instance id and, as node id, the definition version id.</summary>
    private void JournalWorkflow(string eventName) =>
        _journal.Add(NewJournalRecord(Workflow.Root, State.DefinitionVersionId, State.Id, eventName));

    private JournalRecord NewJournalRecord(ActivityNode node, string nodeId, string activityInstanceId, string eventName) => new()
    {
        Id = NewId(),
        WorkflowDefinitionId = State.DefinitionId,
        WorkflowDefinitionVersionId = State.DefinitionVersionId,
        WorkflowInstanceId = State.Id,
        WorkflowVersion = State.DefinitionVersion,
        ActivityInstanceId = activityInstanceId,
        ActivityId = node.Id,
        ActivityType = node.Type,
        ActivityTypeVersion = node.Version,
        ActivityName = node.Name,
        NodeId = nodeId,
        Timestamp = Clock.GetUtcNow(),
        Sequence = State.ExecutionLogSequence++,
        EventName = eventName,
    };

    /// <summary>Refreshes the execution records of contexts still running (e.g. to mark that they hold bookmarks).</summary>
    internal void RefreshRunningRecords()
    {
        foreach (var context in _contexts.Values)
        {
            if (_records.TryGetValue(context.Id, out var record))
            {
                _records[context.Id] = record with { HasBookmarks = State.Bookmarks.Any(b => b.ActivityInstanceId == context.Id), Status = context.Status };
            }
        }
    }

    private sealed record WorkItem(string ContextId, Bookmark? Bookmark, JsonNode? Input)
    {
        /// <summary>As kept in <c>scheduledActivities</c> when a run stops over budget.</summary>
        public JsonObject ToJson() => new()
        {
            ["existingActivityInstanceId"] = ContextId,
            ["bookmark"] = Bookmark is null ? null : JsonSerializer.SerializeToNode(Bookmark, WorkflowJson.Options),
            ["input"] = Input?.DeepClone(),
        };

        public static WorkItem FromJson(JsonObject json) => new(
            json.GetString("existingActivityInstanceId") ?? "",
            json["bookmark"] is JsonObject bookmark ? bookmark.Deserialize<Bookmark>(WorkflowJson.Options) : null,
            json["input"]?.DeepClone());
    }
}

/// <summary>An event published by a workflow (<c>Elsa.PublishEvent</c>).</summary>
public sealed record PublishedEvent(string EventName, string? CorrelationId, bool IsLocal, string SourceInstanceId, JsonNode? Payload);

/// <summary>A request for external work made by <c>Elsa.RunTask</c>; completing the task id resumes the instance.</summary>
public sealed record RunTaskRequest(string TaskId, string TaskName, JsonNode? Payload, string WorkflowInstanceId, string ActivityInstanceId);
