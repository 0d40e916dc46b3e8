using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Bookmarks;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Persistence;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Workflows.Hosting;

/// <summary>
/// The runtime with persistence: starts and resumes instances, delivers events and task results, and commits each
/// run (state, bookmark index, journal, execution records and the observers' rows) in one transaction. Timers and
/// published events are handed on only after the commit.
/// </summary>
public sealed class WorkflowHost(
    WorkflowRunner runner,
    WorkflowCache cache,
    IWorkflowDefinitionStore definitions,
    IWorkflowInstanceStore instances,
    IBookmarkStore bookmarks,
    ITriggerStore triggers,
    IWorkflowJournalStore journal,
    IWorkflowUnitOfWork unitOfWork,
    IWorkflowScheduler scheduler,
    IEnumerable<IWorkflowRunObserver> observers,
    RunningWorkflows runs,
    TimeProvider clock)
{
    /// <summary>How long a cancel request waits for a run going on in this process to stop.</summary>
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    private const int MaxEventDepth = 8;

    /// <summary>Starts an instance of the published (or the given) version of a definition.</summary>
    public async Task<RunResult> StartAsync(string definitionId, StartWorkflowRequest request, VersionOptions? version, CancellationToken cancellationToken)
    {
        var options = version ?? VersionOptions.Published;
        var id = await definitions.FindIdAsync(definitionId, options, cancellationToken);

        // A published version is loaded once (its content never changes): a start reads which version, not the version.
        var definition = id is null ? null
            : options == VersionOptions.Published && cache.TryGetPublished(id, out var published) ? published.Definition
            : await definitions.FindByIdAsync(id, cancellationToken);
        return definition is null
            ? throw new WorkflowNotFoundException($"workflow definition '{definitionId}' has no {options} version")
            : await StartAsync(definition, request, cancellationToken);
    }

    public async Task<RunResult> StartAsync(WorkflowDefinition definition, StartWorkflowRequest request, CancellationToken cancellationToken)
    {
        if (await BlockingInstanceAsync(definition, request.CorrelationId, cancellationToken) is { } blocking)
        {
            throw new WorkflowStateConflictException(blocking.Id,
                $"流程“{definition.Name ?? definition.DefinitionId}”的启动策略不允许再启动新实例：实例 {blocking.Id} 仍在运行 (the activation strategy {ActivationStrategyName(definition)} refuses a new instance of '{definition.DefinitionId}' while instance {blocking.Id} is running)");
        }

        var workflow = cache.Get(definition);
        var result = await runner.StartAsync(workflow, request, cancellationToken);
        if (request.CommitOnlyIfNotFaulted && result.State.SubStatus == WorkflowSubStatus.Faulted)
        {
            throw new WorkflowFaultedException(result.State);
        }

        await CommitAsync(workflow, result, expectedRowVersion: null, cancellationToken);
        await AfterCommitAsync(result, [], depth: 0, cancellationToken);
        return result;
    }

    /// <summary>
    /// Elsa's instance import: stores an exported instance as it was (state, bookmark index, activity execution
    /// records; the journal only for an instance not yet here), and schedules its timer bookmarks. Nothing runs.
    /// True when the instance is new.
    /// </summary>
    public async Task<bool> ImportAsync(
        WorkflowState state, IReadOnlyList<JournalRecord> journalRecords, IReadOnlyCollection<ActivityExecutionRecord> executions, CancellationToken cancellationToken)
    {
        var existing = await instances.FindAsync(state.Id, cancellationToken);
        await instances.SaveAsync(state, existing?.RowVersion, cancellationToken);
        await bookmarks.ReplaceAsync(state.Id, state.Bookmarks.Select(b => new StoredBookmark(
            b.Id, b.Name, b.Hash, state.Id, b.ActivityInstanceId, state.CorrelationId, b.Payload, b.Metadata, b.CreatedAt)).ToList(), cancellationToken);
        if (existing is null)
        {
            await journal.AppendAsync(journalRecords, cancellationToken);
        }

        await journal.SaveAsync(executions, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await AfterCommitAsync(new RunResult(state, [], [], [], []), existing?.State.Bookmarks.ToList() ?? [], MaxEventDepth, cancellationToken);
        return existing is null;
    }

    /// <summary>Resumes one bookmark. Throws <see cref="BookmarkNotFoundException"/> when it is gone (another resume won).</summary>
    public async Task<RunResult> ResumeAsync(string bookmarkId, JsonObject? input, CancellationToken cancellationToken) =>
        await ResumeAsync(bookmarkId, input, depth: 0, cancellationToken);

    /// <summary>Delivers an event: resumes matching <c>Elsa.Event</c> bookmarks and, unless aimed at one instance, starts
    /// instances from matching triggers. Returns the instances that ran.</summary>
    public Task<IReadOnlyList<RunResult>> TriggerEventAsync(string eventName, string? correlationId, string? workflowInstanceId, JsonNode? payload, CancellationToken cancellationToken) =>
        TriggerEventAsync(eventName, correlationId, workflowInstanceId, payload, depth: 0, cancellationToken);

    /// <summary>Completes an <c>Elsa.RunTask</c> task with its result (Elsa's <c>/tasks/{taskId}/complete</c>).</summary>
    public async Task<RunResult> CompleteTaskAsync(string taskId, JsonNode? result, CancellationToken cancellationToken)
    {
        var hash = StimulusHasher.Hash(StimulusNames.RunTask, new JsonObject { ["TaskId"] = taskId });
        var found = await bookmarks.FindByHashAsync(hash, null, null, cancellationToken);
        var bookmark = found.Count > 0 ? found[0] : throw new BookmarkNotFoundException($"task {taskId}");
        return await ResumeAsync(bookmark.Id, new JsonObject { [RunTask.ResultInputKey] = result?.DeepClone() }, cancellationToken);
    }

    public async Task<RunResult> CancelAsync(string workflowInstanceId, CancellationToken cancellationToken)
    {
        var stored = await instances.FindAsync(workflowInstanceId, cancellationToken)
            ?? throw new WorkflowNotFoundException($"workflow instance '{workflowInstanceId}' not found");
        var workflow = await WorkflowOfAsync(stored.State, cancellationToken);
        var previous = stored.State.Bookmarks.ToList();
        var result = await runner.CancelAsync(workflow, stored.State, cancellationToken);
        await CommitAsync(workflow, result, stored.RowVersion, cancellationToken);
        await AfterCommitAsync(result, previous, 0, cancellationToken);
        await CancelChildrenAsync(result.State, cancellationToken);
        return result;
    }

    /// <summary>
    /// Cancels the child instances a cancelled instance started (ExecuteWorkflow, DispatchWorkflow, a workflow used as an
    /// activity), and theirs: Elsa's WorkflowCancellationService.CancelChildWorkflowInstances, which also looks into
    /// children that already finished, as their own children may still run.
    /// </summary>
    private async Task CancelChildrenAsync(WorkflowState parent, CancellationToken cancellationToken)
    {
        foreach (var childId in ChildWorkflowActivity.ChildrenOf(parent))
        {
            var child = await instances.FindAsync(childId, cancellationToken);
            if (child is null)
            {
                continue;
            }

            if (child.State.Status == WorkflowStatus.Finished)
            {
                await CancelChildrenAsync(child.State, cancellationToken);
                continue;
            }

            try
            {
                await RequestCancelAsync(childId, cancellationToken);
            }
            catch (Exception ex) when (ex is WorkflowNotFoundException or WorkflowStateConflictException or WorkflowConcurrencyException)
            {
                // Gone, finished or moved on meanwhile: nothing left to cancel there.
            }
        }
    }

    /// <summary>
    /// Cancels an instance (Elsa's <c>/cancel/workflow-instances/{id}</c>). A run of it going on in this process (a
    /// dispatched instance in the background, a long burst) is told to stop between two activities and commits the
    /// instance as Cancelled itself; otherwise the stored instance is cancelled here.
    /// </summary>
    public async Task<CancelOutcome> RequestCancelAsync(string workflowInstanceId, CancellationToken cancellationToken)
    {
        if (runs.RequestCancel(workflowInstanceId))
        {
            var stopped = await runs.WaitAsync(workflowInstanceId, CancelWait, cancellationToken);
            if (await instances.FindAsync(workflowInstanceId, cancellationToken) is { } stored)
            {
                await CancelChildrenAsync(stored.State, cancellationToken);
            }

            return stopped ? CancelOutcome.StoppedRunning : CancelOutcome.Stopping;
        }

        await CancelAsync(workflowInstanceId, cancellationToken);
        return CancelOutcome.Cancelled;
    }

    /// <summary>
    /// Retries a faulted instance (Elsa's <c>/alterations/workflows/retry</c>): like Elsa it first moves the instance to
    /// the newest published version of its definition when every activity it is in exists there (so a fixed definition
    /// is what runs again), then re-runs the faulted activities (all, or <paramref name="activityIds"/>) and commits.
    /// </summary>
    public async Task<RunResult> RetryAsync(string workflowInstanceId, IReadOnlyCollection<string>? activityIds, CancellationToken cancellationToken)
    {
        var stored = await instances.FindAsync(workflowInstanceId, cancellationToken)
            ?? throw new WorkflowNotFoundException($"workflow instance '{workflowInstanceId}' not found");
        var state = stored.State;
        var workflow = await WorkflowOfAsync(state, cancellationToken);
        if (await definitions.FindAsync(state.DefinitionId, VersionOptions.Published, cancellationToken) is { } published && published.Version > state.DefinitionVersion)
        {
            var newer = cache.Get(published);
            if (state.ActivityExecutionContexts.All(c => newer.NodesByNodeId.ContainsKey(c.ScheduledActivityNodeId)))
            {
                state.DefinitionVersionId = published.Id;
                state.DefinitionVersion = published.Version;
                workflow = newer;
            }
        }

        var previous = state.Bookmarks.ToList();
        var result = await runner.RetryAsync(workflow, state, activityIds, cancellationToken);
        await CommitAsync(workflow, result, stored.RowVersion, cancellationToken);
        await AfterCommitAsync(result, previous, 0, cancellationToken);
        return result;
    }

    /// <summary>Indexes the start triggers of a newly published version (replacing those of older versions) and schedules timer triggers.</summary>
    public async Task IndexTriggersAsync(WorkflowDefinition published, CancellationToken cancellationToken)
    {
        var old = await triggers.ListByDefinitionAsync(published.DefinitionId, cancellationToken);
        var indexed = new List<StoredTrigger>();
        if (published.IsPublished)
        {
            var workflow = cache.Get(published);
            foreach (var node in workflow.AllNodes.Where(n => n.CanStartWorkflow && n.Behaviour is ITriggerActivity))
            {
                var specs = await ((ITriggerActivity)node.Behaviour).GetTriggersAsync(node, new TriggerIndexingContext(EvaluateStaticAsync));
                indexed.AddRange(specs.Select(spec => new StoredTrigger(
                    Guid.NewGuid().ToString("N")[..16], published.DefinitionId, published.Id, spec.Name, node.Id, StimulusHasher.Hash(spec.Name, spec.Payload), spec.Payload)));
            }
        }

        await triggers.ReplaceAsync(published.DefinitionId, indexed, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        foreach (var trigger in old)
        {
            await scheduler.UnscheduleTriggerAsync(trigger.Id, cancellationToken);
        }

        var now = clock.GetUtcNow();
        foreach (var trigger in indexed.Where(t => StimulusNames.IsTimer(t.Name)))
        {
            if (NextTriggerTime(trigger, now) is { } at)
            {
                await scheduler.ScheduleTriggerAsync(trigger.Id, at, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Fires one occurrence of a timer trigger (StartAt, Timer, Cron) that is due at <paramref name="dueAt"/>: starts an
    /// instance whose id is derived from the trigger and the occurrence, so a second delivery of the same occurrence
    /// finds it and starts nothing; then schedules the next occurrence. Returns null when nothing was started (the
    /// trigger is gone, not due yet, or this occurrence already ran).
    /// </summary>
    public async Task<RunResult?> FireTimerTriggerAsync(string triggerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var trigger = await triggers.FindAsync(triggerId, cancellationToken);
        if (trigger is null || !StimulusNames.IsTimer(trigger.Name))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (dueAt > now)
        {
            await scheduler.ScheduleTriggerAsync(trigger.Id, dueAt, cancellationToken);
            return null;
        }

        var instanceId = OccurrenceInstanceId(trigger.Id, dueAt);
        RunResult? result = null;
        var definition = await definitions.FindByIdAsync(trigger.WorkflowDefinitionVersionId, cancellationToken);
        if (definition is { IsPublished: true } && await instances.FindAsync(instanceId, cancellationToken) is null)
        {
            var workflow = cache.Get(definition);
            result = await runner.StartAsync(workflow, new StartWorkflowRequest { InstanceId = instanceId, TriggerActivityId = trigger.ActivityId }, cancellationToken);
            await CommitAsync(workflow, result, null, cancellationToken);
            await AfterCommitAsync(result, [], 0, cancellationToken);
        }

        if (NextTriggerTime(trigger, dueAt > now ? now : dueAt) is { } next && next > dueAt)
        {
            await scheduler.ScheduleTriggerAsync(trigger.Id, next, cancellationToken);
        }

        return result;
    }

    /// <summary>The instance id of one occurrence of a timer trigger: the same trigger and time give the same id.</summary>
    public static string OccurrenceInstanceId(string triggerId, DateTimeOffset dueAt) =>
        $"{triggerId}-{dueAt.ToUniversalTime():yyyyMMddHHmmss}";

    /// <summary>When a timer trigger fires next after <paramref name="after"/>: StartAt once, Timer every interval, Cron at each occurrence.</summary>
    public static DateTimeOffset? NextTriggerTime(StoredTrigger trigger, DateTimeOffset after)
    {
        if (trigger.Payload?.GetString("ExecuteAt") is { } text)
        {
            var at = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            return at > after ? at : null;
        }

        if (trigger.Payload?.GetString("CronExpression") is { Length: > 0 } cron)
        {
            return Activities.Cron.NextOccurrence(cron, after);
        }

        return trigger.Payload?.GetString("Interval") is { } interval
            && TimeSpan.TryParse(interval, System.Globalization.CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero
            ? after + every
            : null;
    }

    private async Task<RunResult> ResumeAsync(string bookmarkId, JsonObject? input, int depth, CancellationToken cancellationToken)
    {
        var stored = await bookmarks.FindAsync(bookmarkId, cancellationToken) ?? throw new BookmarkNotFoundException(bookmarkId);
        var instance = await instances.FindAsync(stored.WorkflowInstanceId, cancellationToken) ?? throw new BookmarkNotFoundException(bookmarkId);
        var workflow = await WorkflowOfAsync(instance.State, cancellationToken);
        var previous = instance.State.Bookmarks.ToList();
        var result = await runner.ResumeAsync(workflow, instance.State, bookmarkId, input, cancellationToken);
        try
        {
            await CommitAsync(workflow, result, instance.RowVersion, cancellationToken);
        }
        catch (WorkflowConcurrencyException)
        {
            // Another run of this instance committed first; it consumed (or moved past) this bookmark.
            throw new BookmarkNotFoundException(bookmarkId);
        }

        await AfterCommitAsync(result, previous, depth, cancellationToken);
        return result;
    }

    private async Task<IReadOnlyList<RunResult>> TriggerEventAsync(
        string eventName, string? correlationId, string? workflowInstanceId, JsonNode? payload, int depth, CancellationToken cancellationToken)
    {
        var results = new List<RunResult>();
        var hash = StimulusHasher.Hash(StimulusNames.Event, new JsonObject { ["EventName"] = eventName });
        var input = new JsonObject { [Event.PayloadInputKey] = payload?.DeepClone() ?? new JsonObject() };
        foreach (var bookmark in await bookmarks.FindByHashAsync(hash, correlationId, workflowInstanceId, cancellationToken))
        {
            try
            {
                results.Add(await ResumeAsync(bookmark.Id, (JsonObject)input.DeepClone(), depth, cancellationToken));
            }
            catch (BookmarkNotFoundException)
            {
                // Consumed by a concurrent delivery: that delivery resumed it.
            }
        }

        if (workflowInstanceId is null)
        {
            foreach (var trigger in await triggers.FindByHashAsync(hash, cancellationToken))
            {
                var definition = await definitions.FindByIdAsync(trigger.WorkflowDefinitionVersionId, cancellationToken);
                if (definition is not { IsPublished: true })
                {
                    continue;
                }

                if (await BlockingInstanceAsync(definition, correlationId, cancellationToken) is not null)
                {
                    continue; // Elsa's activation strategy says no: the trigger starts nothing.
                }

                var workflow = cache.Get(definition);
                var result = await runner.StartAsync(workflow, new StartWorkflowRequest
                {
                    CorrelationId = correlationId,
                    Input = (JsonObject)input.DeepClone(),
                    TriggerActivityId = trigger.ActivityId,
                }, cancellationToken);
                await CommitAsync(workflow, result, null, cancellationToken);
                await AfterCommitAsync(result, [], depth, cancellationToken);
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>
    /// Elsa's workflow activation strategies (<c>options.activationStrategyType</c>): Always (none set), Singleton (no
    /// second running instance of the definition), Correlation (none while any running instance has the same correlation
    /// id) and CorrelatedSingleton (none while a running instance of the definition has it). The running instance that
    /// blocks the start, or null when the start is allowed.
    /// </summary>
    private async Task<WorkflowInstanceSummary?> BlockingInstanceAsync(WorkflowDefinition definition, string? correlationId, CancellationToken cancellationToken)
    {
        var strategy = ActivationStrategyName(definition);
        if (strategy is "Always")
        {
            return null;
        }

        var sameDefinition = strategy is "Singleton" or "CorrelatedSingleton";
        var byCorrelation = strategy is "Correlation" or "CorrelatedSingleton";
        if (byCorrelation && string.IsNullOrEmpty(correlationId))
        {
            return null;
        }

        var (running, _) = await instances.ListAsync(new InstanceQuery
        {
            PageSize = 1,
            DefinitionIds = sameDefinition ? [definition.DefinitionId] : [],
            CorrelationId = byCorrelation ? correlationId : null,
            Statuses = [WorkflowStatus.Running],
        }, cancellationToken);
        return running.Count > 0 ? running[0] : null;
    }

    /// <summary>The strategy's short name from its type name (either spelling Elsa writes): Always, Singleton, Correlation or CorrelatedSingleton.</summary>
    public static string ActivationStrategyName(WorkflowDefinition definition)
    {
        var type = definition.Options.ActivationStrategyType ?? "";
        return type.Contains("CorrelatedSingleton", StringComparison.Ordinal) ? "CorrelatedSingleton"
            : type.Contains("Singleton", StringComparison.Ordinal) ? "Singleton"
            : type.Contains("Correlation", StringComparison.Ordinal) ? "Correlation"
            : "Always";
    }

    private async Task<Workflow> WorkflowOfAsync(WorkflowState state, CancellationToken cancellationToken)
    {
        // The hot path: a decision resumes a published version, loaded already; no read and no parse of its JSON.
        if (cache.TryGetPublished(state.DefinitionVersionId, out var published))
        {
            return published;
        }

        var definition = await definitions.FindByIdAsync(state.DefinitionVersionId, cancellationToken)
            ?? throw new WorkflowNotFoundException($"definition version '{state.DefinitionVersionId}' of instance '{state.Id}' no longer exists");
        return cache.Get(definition);
    }

    private async Task CommitAsync(Workflow workflow, RunResult result, long? expectedRowVersion, CancellationToken cancellationToken)
    {
        var state = result.State;
        await instances.SaveAsync(state, expectedRowVersion, cancellationToken);
        await bookmarks.ReplaceAsync(state.Id, state.Bookmarks.Select(b => new StoredBookmark(
            b.Id, b.Name, b.Hash, state.Id, b.ActivityInstanceId, state.CorrelationId, b.Payload, b.Metadata, b.CreatedAt)).ToList(), cancellationToken);
        await journal.AppendAsync(result.Journal, cancellationToken);
        await journal.SaveAsync(result.ActivityExecutions, cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnRunAsync(workflow, result, cancellationToken);
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
    }

    private async Task AfterCommitAsync(RunResult result, IReadOnlyList<Bookmark> previous, int depth, CancellationToken cancellationToken)
    {
        var state = result.State;
        var current = state.Bookmarks.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in previous.Where(b => BookmarkTime(b) is not null && !current.Contains(b.Id)))
        {
            await scheduler.UnscheduleBookmarkAsync(state.Id, gone.Id, cancellationToken);
        }

        var before = previous.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var added in state.Bookmarks.Where(b => BookmarkTime(b) is not null && !before.Contains(b.Id)))
        {
            if (BookmarkTime(added) is { } at)
            {
                await scheduler.ScheduleBookmarkAsync(state.Id, added.Id, at, cancellationToken);
            }
        }

        if (depth >= MaxEventDepth)
        {
            return;
        }

        // A finished child resumes the parent's ExecuteWorkflow/DispatchWorkflow waiting for it, with its output (Elsa's
        // ResumeExecuteWorkflowActivity / ResumeDispatchWorkflowActivity handlers).
        if (state.Status == WorkflowStatus.Finished && state.ParentWorkflowInstanceId is { } parentId)
        {
            foreach (var stimulus in new[] { ExecuteWorkflow.TypeName, DispatchWorkflow.TypeName })
            {
                foreach (var waiting in await bookmarks.FindByHashAsync(ChildWorkflowActivity.Hash(stimulus, state.Id), null, parentId, cancellationToken))
                {
                    try
                    {
                        await ResumeAsync(waiting.Id, new JsonObject { [ChildWorkflowActivity.ChildOutputInputKey] = state.Output.DeepClone() }, depth + 1, cancellationToken);
                    }
                    catch (BookmarkNotFoundException)
                    {
                        // Resumed meanwhile by another delivery.
                    }
                }
            }
        }

        foreach (var published in result.PublishedEvents)
        {
            await TriggerEventAsync(published.EventName, published.CorrelationId, published.IsLocal ? published.SourceInstanceId : null, published.Payload, depth + 1, cancellationToken);
        }
    }

    /// <summary>When a timer bookmark is due: <c>ResumeAt</c> (Delay, Timer, task due dates) or <c>ExecuteAt</c> (StartAt, Cron); null for other bookmarks.</summary>
    public static DateTimeOffset? BookmarkTime(Bookmark bookmark) => BookmarkTime(bookmark.Payload);

    /// <summary>The due time in a bookmark payload (<c>ResumeAt</c> or <c>ExecuteAt</c>), or null.</summary>
    public static DateTimeOffset? BookmarkTime(JsonObject? payload) =>
        (payload?.GetString("ResumeAt") ?? payload?.GetString("ExecuteAt")) is { } text
            ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static ValueTask<object?> EvaluateStaticAsync(ActivityNode node, string name, string typeAlias)
    {
        var input = JsonRead.AsObject(node.Input(name));
        var expression = input?.GetObject("expression");
        var value = expression is null ? Values.FromJson(node.Input(name)) : Values.FromJson(expression.Get("value"));
        return ValueTask.FromResult(Values.ConvertTo(value, typeAlias));
    }
}

/// <summary>What a cancel request did.</summary>
public enum CancelOutcome
{
    /// <summary>The stored instance was cancelled.</summary>
    Cancelled,

    /// <summary>A run going on here was told to stop, and it did (it commits the instance as Cancelled).</summary>
    StoppedRunning,

    /// <summary>A run going on here was told to stop and has not stopped yet (it will, before its next activity).</summary>
    Stopping,
}

/// <summary>No such definition (version) or instance (HTTP 404).</summary>
public sealed class WorkflowNotFoundException(string message) : Exception(message);
