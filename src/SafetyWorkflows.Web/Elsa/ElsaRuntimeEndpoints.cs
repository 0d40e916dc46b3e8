using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>Elsa's run-time endpoints: execute and dispatch, instances, journal, activity executions, events, tasks, bookmarks.</summary>
internal static class ElsaRuntimeEndpoints
{
    public const string InstanceIdHeader = "x-elsa-workflow-instance-id";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/workflow-definitions/{definitionId}/execute", ExecuteAsync);
        api.MapPost("/workflow-definitions/{definitionId}/dispatch", DispatchAsync);
        api.MapPost("/workflow-instances", ListInstancesAsync);
        api.MapGet("/workflow-instances/{id}", GetInstanceAsync);
        api.MapDelete("/workflow-instances/{id}", DeleteInstanceAsync);
        api.MapGet("/workflow-instances/{id}/execution-state", GetStateAsync);
        api.MapGet("/workflow-instances/{id}/variables", GetVariablesAsync);
        api.MapGet("/workflow-instances/{id}/journal", JournalAsync);
        api.MapPost("/workflow-instances/{id}/journal", JournalAsync);
        api.MapPost("/cancel/workflow-instances/{id}", CancelAsync);
        api.MapPost("/workflow-instances/{id}/cancel", CancelAsync);
        api.MapPost("/bulk-actions/cancel/workflow-instances", BulkCancelAsync);
        api.MapPost("/bulk-actions/cancel/workflow-instances/by-id", BulkCancelAsync);
        api.MapGet("/alterations/workflows/retry", RetryAsync);
        api.MapPost("/alterations/workflows/retry", RetryAsync);
        api.MapPost("/activity-executions/report", ReportAsync);
        api.MapGet("/activity-executions/list", ListExecutionsAsync);
        api.MapGet("/activity-execution-summaries/list", ListExecutionSummariesAsync);
        api.MapGet("/activity-executions/by-id", ExecutionByIdAsync);
        api.MapPost("/events/{eventName}/trigger", TriggerEventAsync);
        api.MapPost("/tasks/{taskId}/complete", CompleteTaskAsync);
        api.MapGet("/bookmarks/resume", ResumeBookmarkAsync);
        api.MapPost("/bookmarks/resume", ResumeBookmarkAsync);
    }

    /// <summary>Runs the instance until it blocks and answers as Elsa does: <c>{workflowState}</c>, the id in a header, 500 when it faulted.</summary>
    private static async Task<IResult> ExecuteAsync(string definitionId, HttpContext http, WorkflowHost host, CancellationToken cancellationToken)
    {
        var (request, version) = await ReadStartAsync(http.Request, cancellationToken);
        var result = await host.StartAsync(definitionId, request, version, cancellationToken);
        http.Response.Headers[InstanceIdHeader] = result.State.Id;
        var status = result.State.SubStatus == WorkflowSubStatus.Faulted ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        return ElsaJson.Ok(new JsonObject { ["workflowState"] = ElsaJson.State(result.State) }, status);
    }

    /// <summary>Starts the instance in the background and answers at once with its id.</summary>
    private static async Task<IResult> DispatchAsync(string definitionId, HttpRequest request, IWorkflowDefinitionStore definitions, IServiceScopeFactory scopes, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (start, version) = await ReadStartAsync(request, cancellationToken);
        if (await definitions.FindAsync(definitionId, version ?? VersionOptions.Published, cancellationToken) is null)
        {
            throw new WorkflowNotFoundException($"workflow definition '{definitionId}' has no {version ?? VersionOptions.Published} version");
        }

        start = start with { InstanceId = Guid.NewGuid().ToString("N")[..16] };
        var logger = loggers.CreateLogger("SafetyWorkflows.Web.Elsa.Dispatch");
        _ = Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(definitionId, start, version, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Dispatched workflow {DefinitionId} instance {InstanceId} failed to start", definitionId, start.InstanceId);
            }
        }, CancellationToken.None);
        return ElsaJson.Ok(new JsonObject { ["workflowInstanceId"] = start.InstanceId });
    }

    private static async Task<IResult> ListInstancesAsync(HttpRequest request, IWorkflowInstanceStore instances, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadOptionalObjectAsync(request, cancellationToken);
        var definitionIds = Strings(body["definitionIds"]);
        if (body.GetString("definitionId") is { Length: > 0 } single)
        {
            definitionIds.Add(single);
        }

        var query = new InstanceQuery
        {
            Page = Math.Max(0, body.GetInt("page") ?? 0),
            PageSize = Math.Clamp(body.GetInt("pageSize") ?? 10, 1, 500),
            SearchTerm = body.GetString("searchTerm"),
            DefinitionIds = definitionIds,
            CorrelationId = body.GetString("correlationId"),
            HasIncidents = body.GetBool("hasIncidents"),
            Statuses = Enums<WorkflowStatus>(body, "status", "statuses"),
            SubStatuses = Enums<WorkflowSubStatus>(body, "subStatus", "subStatuses"),
            Ascending = string.Equals(body.GetString("orderDirection"), "Ascending", StringComparison.OrdinalIgnoreCase),
        };
        var (items, total) = await instances.ListAsync(query, cancellationToken);
        return ElsaJson.Ok(ElsaJson.ListOf(items.Select(i => (JsonNode)ElsaJson.InstanceSummary(i)), total));
    }

    private static async Task<IResult> GetInstanceAsync(string id, IWorkflowInstanceStore instances, CancellationToken cancellationToken) =>
        await instances.FindAsync(id, cancellationToken) is { } stored ? ElsaJson.Ok(ElsaJson.Instance(stored.State)) : ElsaJson.NotFound($"'{id}' not found");

    private static async Task<IResult> GetStateAsync(string id, IWorkflowInstanceStore instances, CancellationToken cancellationToken) =>
        await instances.FindAsync(id, cancellationToken) is { } stored ? ElsaJson.Ok(ElsaJson.State(stored.State)) : ElsaJson.NotFound($"'{id}' not found");

    private static async Task<IResult> DeleteInstanceAsync(string id, IWorkflowInstanceStore instances, IWorkflowUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        if (await instances.FindAsync(id, cancellationToken) is null)
        {
            return ElsaJson.NotFound($"'{id}' not found");
        }

        await instances.DeleteAsync(id, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }

    /// <summary>
    /// The variables with their values, as the instance viewer's Variables tab reads them (<c>{id, name, value}</c>):
    /// the workflow's, those <c>setVariable</c> created, and those of the containers still running (a flowchart's own
    /// variables, a ForEach's CurrentIndex/CurrentValue), each from the context that owns it.
    /// </summary>
    private static async Task<IResult> GetVariablesAsync(
        string id, IWorkflowInstanceStore instances, IWorkflowDefinitionStore definitions, WorkflowCache cache, CancellationToken cancellationToken)
    {
        var stored = await instances.FindAsync(id, cancellationToken);
        if (stored is null)
        {
            return ElsaJson.NotFound($"'{id}' not found");
        }

        var state = stored.State;
        var definition = await definitions.FindByIdAsync(state.DefinitionVersionId, cancellationToken);
        var items = new List<JsonNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string variableId, string name, string? typeName, JsonNode? value, string? ownerNodeId)
        {
            if (seen.Add($"{ownerNodeId}|{variableId}"))
            {
                items.Add(new JsonObject { ["id"] = variableId, ["name"] = name, ["typeName"] = typeName, ["value"] = value, ["activityNodeId"] = ownerNodeId });
            }
        }

        var root = state.ActivityExecutionContexts.FirstOrDefault(c => c.ParentContextId is null);
        var rootValues = root?.Properties[VariableScope.PropertyKey] as JsonObject;
        foreach (var v in definition?.Variables ?? [])
        {
            Add(v.Id, v.Name, v.TypeName, rootValues?[v.Id]?.DeepClone() ?? (v.Value is null ? null : JsonValue.Create(v.Value)), null);
        }

        foreach (var (key, value) in rootValues ?? [])
        {
            if (definition?.Variables.Any(v => v.Id == key) != true)
            {
                Add(key, key, null, value?.DeepClone(), null);
            }
        }

        Workflow? workflow = null;
        try
        {
            workflow = definition is null ? null : cache.Get(definition);
        }
        catch (DefinitionException)
        {
            // A version that no longer loads: only the workflow-level variables can be named.
        }

        foreach (var context in state.ActivityExecutionContexts.Where(c => c.ParentContextId is not null))
        {
            if (workflow is null || !workflow.NodesByNodeId.TryGetValue(context.ScheduledActivityNodeId, out var node) || node.Variables.Count == 0)
            {
                continue;
            }

            var values = context.Properties[VariableScope.PropertyKey] as JsonObject;
            foreach (var v in node.Variables)
            {
                Add(v.Id, v.Name, v.TypeName, values?[v.Id]?.DeepClone() ?? (v.Value is null ? null : JsonValue.Create(v.Value)), node.NodeId);
            }
        }

        return ElsaJson.Ok(ElsaJson.ListOf(items));
    }

    private static async Task<IResult> JournalAsync(string id, HttpRequest request, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var body = HttpMethods.IsPost(request.Method) && (request.ContentLength is > 0 || request.ContentType is not null) ? await ElsaJson.ReadObjectAsync(request, cancellationToken) : [];
        IEnumerable<JournalRecord> records = await journal.ListAsync(id, cancellationToken);
        if (body.GetObject("filter") is { } filter)
        {
            var activityIds = Strings(filter["activityIds"]);
            var nodeIds = Strings(filter["activityNodeIds"]);
            var excluded = Strings(filter["excludedActivityTypes"]);
            var events = Strings(filter["eventNames"]);
            records = records.Where(r => (activityIds.Count == 0 || activityIds.Contains(r.ActivityId))
                && (nodeIds.Count == 0 || nodeIds.Contains(r.NodeId))
                && !excluded.Contains(r.ActivityType)
                && (events.Count == 0 || events.Contains(r.EventName ?? "")));
        }

        var all = records.ToList();
        var skip = IntParam(request, body, "skip") ?? (IntParam(request, body, "page") is { } page && IntParam(request, body, "pageSize") is { } size ? page * size : 0);
        var take = IntParam(request, body, "take") ?? IntParam(request, body, "pageSize") ?? all.Count;
        return ElsaJson.Ok(ElsaJson.ListOf(all.Skip(skip).Take(take).Select(r => ElsaJson.Record(r)), all.Count));
    }

    /// <summary>
    /// Cancels an instance (Studio's Cancel). A run of it going on in this process, such as a dispatched runaway loop,
    /// stops before its next activity and is committed as Cancelled; a suspended or faulted instance is cancelled at once.
    /// </summary>
    private static async Task<IResult> CancelAsync(string id, WorkflowHost host, CancellationToken cancellationToken)
    {
        var outcome = await host.RequestCancelAsync(id, cancellationToken);
        return ElsaJson.Ok(new JsonObject { ["workflowInstanceId"] = id, ["outcome"] = outcome.ToString() });
    }

    /// <summary>
    /// Studio's bulk cancel: <c>{ids}</c> (older clients sent <c>Ids</c>), or every running instance of
    /// <c>definitionId</c> / <c>definitionVersionId</c>, as Elsa's request allows; answers how many were cancelled.
    /// </summary>
    private static async Task<IResult> BulkCancelAsync(HttpRequest request, WorkflowHost host, IWorkflowInstanceStore instances, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var ids = Strings(body["ids"] ?? body["Ids"] ?? body["workflowInstanceIds"]);
        var definitionId = body.GetString("definitionId");
        var versionId = body.GetString("definitionVersionId");
        if (ids.Count == 0 && (definitionId is not null || versionId is not null))
        {
            var (running, _) = await instances.ListAsync(new InstanceQuery
            {
                PageSize = 500,
                DefinitionIds = definitionId is null ? [] : [definitionId],
                Statuses = [WorkflowStatus.Running],
            }, cancellationToken);
            ids = running.Where(i => versionId is null || i.DefinitionVersionId == versionId).Select(i => i.Id).ToList();
        }
        else if (ids.Count == 0)
        {
            throw new InputValidationException("ids", "ids must list the workflow instances to cancel (or name definitionId or definitionVersionId)");
        }

        var cancelled = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                await host.RequestCancelAsync(id, cancellationToken);
                cancelled++;
            }
            catch (Exception ex) when (ex is WorkflowNotFoundException or WorkflowStateConflictException or WorkflowConcurrencyException)
            {
                // Gone, already finished, or moved on meanwhile: nothing to cancel there.
            }
        }

        return ElsaJson.Ok(new JsonObject { ["count"] = cancelled, ["cancelled"] = cancelled });
    }

    /// <summary>
    /// Elsa's retry alteration: <c>{workflowInstanceIds, activityIds?}</c> (or query parameters). Each faulted instance runs
    /// its faulted activities again; the answer says per instance whether it carries on or which incidents remain.
    /// </summary>
    private static async Task<IResult> RetryAsync(HttpRequest request, Core.Incidents.RetryIncident retry, CancellationToken cancellationToken)
    {
        var body = HttpMethods.IsPost(request.Method) ? await ElsaJson.ReadOptionalObjectAsync(request, cancellationToken) : [];
        var ids = Strings(body["workflowInstanceIds"]).Concat(request.Query["workflowInstanceIds"].OfType<string>()).Distinct(StringComparer.Ordinal).ToList();
        var activityIds = Strings(body["activityIds"]).Concat(request.Query["activityIds"].OfType<string>()).ToList();
        if (ids.Count == 0)
        {
            throw new InputValidationException("workflowInstanceIds", "workflowInstanceIds must list the workflow instances to retry");
        }

        var actor = request.HttpContext.User.ToActor();
        var results = new JsonArray();
        foreach (var id in ids)
        {
            var outcome = await retry.HandleAsync(id, activityIds.Count > 0 ? activityIds : null, actor, cancellationToken);
            results.Add(new JsonObject
            {
                ["workflowInstanceId"] = id,
                ["isSuccessful"] = outcome.Resumed,
                ["subStatus"] = outcome.SubStatus,
                ["incidents"] = new JsonArray(outcome.Incidents.Select(i => (JsonNode)new JsonObject
                {
                    ["id"] = i.Id, ["activityId"] = i.ActivityId, ["message"] = i.Message,
                }).ToArray()),
            });
        }

        return ElsaJson.Ok(new JsonObject { ["results"] = results });
    }

    /// <summary>Badges for the designer: per requested node, how often it started and completed, and whether it is blocked or faulted.</summary>
    private static async Task<IResult> ReportAsync(HttpRequest request, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var instanceId = body.GetString("workflowInstanceId") ?? throw new InputValidationException("workflowInstanceId", "workflowInstanceId is required");
        var nodeIds = Strings(body["activityNodeIds"]);
        var executions = await journal.ListExecutionsAsync(instanceId, cancellationToken);
        var stats = executions.Where(e => nodeIds.Count == 0 || nodeIds.Contains(e.ActivityNodeId)).GroupBy(e => e.ActivityNodeId).Select(g => (JsonNode)new JsonObject
        {
            ["activityId"] = g.First().ActivityId,
            ["activityNodeId"] = g.Key,
            ["startedCount"] = g.Count(),
            ["completedCount"] = g.Count(e => e.Status == ActivityStatus.Completed),
            ["uncompletedCount"] = g.Count(e => e.Status != ActivityStatus.Completed),
            ["isBlocked"] = g.Any(e => e.HasBookmarks && e.Status == ActivityStatus.Running),
            ["isFaulted"] = g.Any(e => e.Status == ActivityStatus.Faulted),
            ["metadata"] = new JsonObject(),
        });
        return ElsaJson.Ok(new JsonObject { ["stats"] = new JsonArray(stats.ToArray()) });
    }

    private static async Task<IResult> ListExecutionsAsync(string? workflowInstanceId, string? activityNodeId, IWorkflowJournalStore journal, CancellationToken cancellationToken) =>
        ElsaJson.Ok(ElsaJson.ListOf((await ExecutionsAsync(workflowInstanceId, activityNodeId, journal, cancellationToken)).Select(e => ElsaJson.Record(e))));

    private static async Task<IResult> ListExecutionSummariesAsync(string? workflowInstanceId, string? activityNodeId, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var executions = await ExecutionsAsync(workflowInstanceId, activityNodeId, journal, cancellationToken);
        return ElsaJson.Ok(ElsaJson.ListOf(executions.Select(e => ElsaJson.Record(e with { ActivityState = null, Outputs = null, Properties = null, Payload = null }))));
    }

    private static async Task<IResult> ExecutionByIdAsync(string id, IWorkflowJournalStore journal, CancellationToken cancellationToken) =>
        await journal.FindExecutionAsync(id, cancellationToken) is { } match ? ElsaJson.Ok(ElsaJson.Record(match)) : ElsaJson.NotFound($"'{id}' not found");

    private static async Task<IResult> TriggerEventAsync(string eventName, HttpRequest request, WorkflowHost host, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadOptionalObjectAsync(request, cancellationToken);
        var runs = await host.TriggerEventAsync(eventName, body.GetString("correlationId"), body.GetString("workflowInstanceId"), body["input"], cancellationToken);
        return ElsaJson.Ok(new JsonObject { ["workflowInstanceIds"] = new JsonArray(runs.Select(r => (JsonNode)JsonValue.Create(r.State.Id)!).ToArray()) });
    }

    private static async Task<IResult> CompleteTaskAsync(string taskId, HttpRequest request, WorkflowHost host, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadOptionalObjectAsync(request, cancellationToken);
        await host.CompleteTaskAsync(taskId, body["result"], cancellationToken);
        return Results.Ok();
    }

    /// <summary>Resumes the bookmark named by an opaque token (<c>?t=</c>, data-protected bookmark id), input from the body or <c>?in=</c>.</summary>
    private static async Task<IResult> ResumeBookmarkAsync(string t, string? @in, HttpRequest request, WorkflowHost host, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        string bookmarkId;
        try
        {
            bookmarkId = BookmarkTokens(protection).Unprotect(t);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new InputValidationException("t", "the bookmark token is not valid");
        }

        JsonObject? input = null;
        if (HttpMethods.IsPost(request.Method) && (request.ContentLength is > 0 || request.ContentType is not null))
        {
            input = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        }
        else if (@in is not null)
        {
            input = JsonRead.TryParse(@in) as JsonObject ?? throw new InputValidationException("in", "'in' must be a JSON object");
        }

        var result = await host.ResumeAsync(bookmarkId, input, cancellationToken);
        request.HttpContext.Response.Headers[InstanceIdHeader] = result.State.Id;
        return Results.Ok();
    }

    /// <summary>The protector of resume tokens; a token names one bookmark and cannot be forged.</summary>
    public static IDataProtector BookmarkTokens(IDataProtectionProvider protection) => protection.CreateProtector("SafetyWorkflows.Elsa.BookmarkResume");

    private static async Task<(StartWorkflowRequest Request, VersionOptions? Version)> ReadStartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadOptionalObjectAsync(request, cancellationToken);
        VersionOptions? version = body.GetString("versionOptions") is { Length: > 0 } text
            ? VersionOptions.Parse(text) ?? throw new InputValidationException("versionOptions", $"unknown versionOptions '{text}'")
            : null;
        return (new StartWorkflowRequest
        {
            CorrelationId = body.GetString("correlationId"),
            Input = body["input"] switch
            {
                null => null,
                JsonObject input => (JsonObject)input.DeepClone(),
                _ => throw new InputValidationException("input", "input must be a JSON object"),
            },
            TriggerActivityId = body.GetString("triggerActivityId"),
        }, version);
    }

    private static async Task<IReadOnlyList<ActivityExecutionRecord>> ExecutionsAsync(string? workflowInstanceId, string? activityNodeId, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        if (workflowInstanceId is null)
        {
            throw new InputValidationException("workflowInstanceId", "workflowInstanceId is required");
        }

        var executions = await journal.ListExecutionsAsync(workflowInstanceId, cancellationToken);
        return activityNodeId is null ? executions : executions.Where(e => e.ActivityNodeId == activityNodeId).ToList();
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? array.Select(JsonRead.AsString).OfType<string>().ToList() : [];

    private static List<T> Enums<T>(JsonObject body, string single, string many)
        where T : struct, Enum
    {
        var names = Strings(body[many]);
        if (body.GetString(single) is { Length: > 0 } one)
        {
            names.Add(one);
        }

        return names.Select(n => Enum.TryParse<T>(n, ignoreCase: true, out var value) ? value : throw new InputValidationException(many, $"unknown value '{n}'")).ToList();
    }

    private static int? IntParam(HttpRequest request, JsonObject body, string name) =>
        body.GetInt(name) ?? (int.TryParse(request.Query[name], out var value) ? value : null);

}
