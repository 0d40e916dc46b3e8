using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>What one run produced: the new state and the records to persist with it in one transaction.</summary>
public sealed record RunResult(
    WorkflowState State,
    IReadOnlyList<JournalRecord> Journal,
    IReadOnlyCollection<ActivityExecutionRecord> ActivityExecutions,
    IReadOnlyList<PublishedEvent> PublishedEvents,
    IReadOnlyList<RunTaskRequest> TaskRequests);

/// <summary>Options for starting an instance.</summary>
public sealed record StartWorkflowRequest
{
    public string? InstanceId { get; init; }

    public string? CorrelationId { get; init; }

    public JsonObject? Input { get; init; }

    /// <summary>The trigger activity that starts the instance (Event, Timer…), which then completes at once.</summary>
    public string? TriggerActivityId { get; init; }

    public string? ParentWorkflowInstanceId { get; init; }

    /// <summary>When the first run faults, commit nothing and throw <see cref="WorkflowFaultedException"/> (a caller's
    /// own changes in the same unit of work are then not saved either).</summary>
    public bool CommitOnlyIfNotFaulted { get; init; }
}

/// <summary>A start refused because its first run faulted; nothing was committed.</summary>
public sealed class WorkflowFaultedException(WorkflowState state)
    : Exception($"workflow '{state.DefinitionId}' faulted: {string.Join("; ", state.Incidents.Select(i => $"{i.ActivityId}: {i.Message}"))}")
{
    public WorkflowState State { get; } = state;
}

/// <summary>
/// Runs workflows in memory: start, resume a bookmark, cancel. It touches no storage; the caller persists the
/// <see cref="RunResult"/> (see <c>WorkflowHost</c>).
/// </summary>
public sealed class WorkflowRunner(WorkflowRuntimeServices runtime, IServiceProvider services)
{
    public async Task<RunResult> StartAsync(Workflow workflow, StartWorkflowRequest request, CancellationToken cancellationToken)
    {
        var now = runtime.Clock.GetUtcNow();
        var definition = workflow.Definition;
        var state = new WorkflowState
        {
            Id = request.InstanceId ?? Guid.NewGuid().ToString("N")[..16],
            DefinitionId = definition.DefinitionId,
            DefinitionVersionId = definition.Id,
            DefinitionVersion = definition.Version,
            CorrelationId = request.CorrelationId,
            ParentWorkflowInstanceId = request.ParentWorkflowInstanceId,
            Input = WithDeclaredInputs(definition, request.Input),
            CreatedAt = now,
            UpdatedAt = now,
        };
        using var run = runtime.Runs.Enter(state.Id);
        var execution = new WorkflowExecution(workflow, state, runtime, services, cancellationToken, run.CancelRequested);
        await execution.StartAsync(request.TriggerActivityId);
        return Result(execution);
    }

    public async Task<RunResult> ResumeAsync(Workflow workflow, WorkflowState state, string bookmarkId, JsonNode? input, CancellationToken cancellationToken)
    {
        var bookmark = state.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId)
            ?? throw new BookmarkNotFoundException(bookmarkId);
        if (state.Status == WorkflowStatus.Finished)
        {
            throw new BookmarkNotFoundException(bookmarkId);
        }

        if (input is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                state.Input[key] = value?.DeepClone();
            }
        }

        using var run = runtime.Runs.Enter(state.Id);
        var execution = new WorkflowExecution(workflow, state, runtime, services, cancellationToken, run.CancelRequested);
        await execution.ResumeAsync(bookmark, input);
        return Result(execution);
    }

    /// <summary>
    /// Retries a faulted instance, or one with incidents under the continue strategy (Elsa's retry alteration): the
    /// faulted activities (all, or those of <paramref name="activityIds"/>) run again, and work left scheduled by a
    /// budget stop carries on. Throws <see cref="WorkflowStateConflictException"/> when there is nothing to retry.
    /// </summary>
    public async Task<RunResult> RetryAsync(Workflow workflow, WorkflowState state, IReadOnlyCollection<string>? activityIds, CancellationToken cancellationToken)
    {
        if (state.Incidents.Count == 0 || state.SubStatus is not (WorkflowSubStatus.Faulted or WorkflowSubStatus.Suspended))
        {
            throw new WorkflowStateConflictException(state.Id, $"流程实例没有待处理的异常，无需重试 (workflow instance {state.Id} has no incident to retry; it is {state.SubStatus})");
        }

        if (activityIds is { Count: > 0 } && !state.Incidents.Any(i => activityIds.Contains(i.ActivityId)))
        {
            throw new WorkflowStateConflictException(state.Id, $"所选环节没有异常 (none of the activities {string.Join(", ", activityIds)} has an incident)");
        }

        using var run = runtime.Runs.Enter(state.Id);
        var execution = new WorkflowExecution(workflow, state, runtime, services, cancellationToken, run.CancelRequested);
        await execution.RetryAsync(activityIds);
        return Result(execution);
    }

    /// <summary>Cancels a running instance, or abandons a faulted one (nothing will retry it any more).</summary>
    public async Task<RunResult> CancelAsync(Workflow workflow, WorkflowState state, CancellationToken cancellationToken)
    {
        if (state.Status == WorkflowStatus.Finished && state.SubStatus != WorkflowSubStatus.Faulted)
        {
            throw new WorkflowStateConflictException(state.Id, $"流程实例已结束（{state.SubStatus}），无法取消 (workflow instance {state.Id} has already finished: {state.SubStatus})");
        }

        var execution = new WorkflowExecution(workflow, state, runtime, services, cancellationToken);
        await execution.CancelInstanceAsync();
        return Result(execution);
    }

    private static JsonObject WithDeclaredInputs(WorkflowDefinition definition, JsonObject? input)
    {
        var result = new JsonObject();
        foreach (var (key, value) in input ?? [])
        {
            var declared = definition.Inputs.FirstOrDefault(i => string.Equals(i.Name, key, StringComparison.OrdinalIgnoreCase));
            result[key] = declared is null
                ? value?.DeepClone()
                : Values.ToJson(Values.ConvertTo(Values.FromJson(value), declared.IsArray ? $"List<{declared.Type}>" : declared.Type));
        }

        return result;
    }

    private static RunResult Result(WorkflowExecution execution)
    {
        execution.RefreshRunningRecords();
        return new RunResult(execution.State, execution.JournalRecords, execution.ActivityExecutionRecords, execution.PublishedEvents, execution.TaskRequests);
    }
}

/// <summary>The instance is not in a state that allows the operation (retry without incidents, cancel after the end): HTTP 409.</summary>
public sealed class WorkflowStateConflictException(string workflowInstanceId, string message) : Exception(message)
{
    public string WorkflowInstanceId { get; } = workflowInstanceId;
}

/// <summary>The bookmark is gone: already resumed, the instance moved on, or it never existed (HTTP 404/409).</summary>
public sealed class BookmarkNotFoundException(string bookmarkId) : Exception($"bookmark {bookmarkId} no longer exists")
{
    public string BookmarkId { get; } = bookmarkId;
}
