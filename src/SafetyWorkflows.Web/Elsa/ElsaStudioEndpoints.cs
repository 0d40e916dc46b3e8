using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>
/// The rest of what Elsa Studio 3.8 calls from its lists, editor and instance viewer: bulk actions on definitions and
/// instances, instance export and import, one activity descriptor, the Test tab's activity run, the call stack of an
/// activity execution and the JavaScript type definitions for the code editor. Routes, bodies and answers follow
/// Elsa's <c>Elsa.Workflows.Api</c> endpoints and the Studio's <c>Elsa.Api.Client</c> contracts.
/// </summary>
internal static class ElsaStudioEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-definition-id", BulkDeleteDefinitionsAsync);
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-id", BulkDeleteVersionsAsync);
        api.MapPost("/bulk-actions/publish/workflow-definitions/by-definition-ids", BulkPublishAsync);
        api.MapPost("/bulk-actions/retract/workflow-definitions/by-definition-ids", BulkRetractAsync);
        api.MapPost("/bulk-actions/export/workflow-definitions", BulkExportDefinitionsAsync);
        api.MapPost("/bulk-actions/delete/workflow-instances/by-id", BulkDeleteInstancesAsync);
        api.MapGet("/workflow-instances/{id}/export", ExportInstanceAsync);
        api.MapPost("/workflow-instances/{id}/export", ExportInstanceAsync);
        api.MapPost("/bulk-actions/export/workflow-instances", BulkExportInstancesAsync);
        api.MapPost("/bulk-actions/import/workflow-instances", ImportInstancesAsync);
        api.MapGet("/descriptors/activities/{typeName}", DescriptorAsync);
        api.MapPost("/tests/activities", TestActivityAsync);
        api.MapGet("/activity-executions/{id}/call-stack", CallStackAsync);
        api.MapPost("/scripting/javascript/type-definitions/{definitionId}", TypeDefinitionsAsync);
    }

    private static async Task<IResult> BulkDeleteDefinitionsAsync(HttpRequest request, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        return await DeleteEachAsync(request, "definitionIds", id => service.DeleteAsync(id, cancellationToken), cancellationToken);
    }

    private static async Task<IResult> BulkDeleteVersionsAsync(HttpRequest request, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        return await DeleteEachAsync(request, "ids", id => service.DeleteVersionAsync(id, cancellationToken), cancellationToken);
    }

    /// <summary>A bulk delete: each id of the body's list in turn, answering how many were deleted.</summary>
    private static async Task<IResult> DeleteEachAsync(HttpRequest request, string listName, Func<string, Task<bool>> delete, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var deleted = 0;
        foreach (var id in RequiredStrings(body, listName))
        {
            deleted += await delete(id) ? 1 : 0;
        }

        return ElsaJson.Ok(new JsonObject { ["deleted"] = deleted });
    }

    /// <summary>
    /// Elsa's bulk publish: each latest version is published unless it already is. A definition that cannot run is
    /// not published; it is listed under <c>skipped</c> with the reason (our addition; Elsa's Studio reads the other lists).
    /// </summary>
    private static async Task<IResult> BulkPublishAsync(HttpRequest request, IWorkflowDefinitionStore store, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        JsonArray published = [], already = [], notFound = [], skipped = [];
        foreach (var definitionId in RequiredStrings(body, "definitionIds"))
        {
            var latest = await store.FindAsync(definitionId, VersionOptions.Latest, cancellationToken);
            if (latest is null)
            {
                notFound.Add(definitionId);
            }
            else if (latest.IsPublished)
            {
                already.Add(definitionId);
            }
            else
            {
                try
                {
                    await service.PublishAsync(definitionId, null, cancellationToken);
                    published.Add(definitionId);
                }
                catch (DefinitionException ex)
                {
                    skipped.Add(new JsonObject { ["definitionId"] = definitionId, ["reason"] = ex.Message });
                }
            }
        }

        return ElsaJson.Ok(new JsonObject
        {
            ["published"] = published, ["alreadyPublished"] = already, ["notFound"] = notFound, ["updatedConsumers"] = new JsonArray(), ["skipped"] = skipped,
        });
    }

    private static async Task<IResult> BulkRetractAsync(HttpRequest request, IWorkflowDefinitionStore store, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        JsonArray retracted = [], already = [], notFound = [];
        foreach (var definitionId in RequiredStrings(body, "definitionIds"))
        {
            if (await store.FindAsync(definitionId, VersionOptions.Latest, cancellationToken) is null)
            {
                notFound.Add(definitionId);
            }
            else if (await store.FindAsync(definitionId, VersionOptions.Published, cancellationToken) is null)
            {
                already.Add(definitionId);
            }
            else
            {
                await service.RetractAsync(definitionId, cancellationToken);
                retracted.Add(definitionId);
            }
        }

        return ElsaJson.Ok(new JsonObject { ["retracted"] = retracted, ["alreadyRetracted"] = already, ["notFound"] = notFound });
    }

    /// <summary>Elsa's bulk export: <c>{ids}</c> are version ids; one file for one version, else <c>workflow-definitions.zip</c>.</summary>
    private static async Task<IResult> BulkExportDefinitionsAsync(HttpRequest request, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var found = new List<WorkflowDefinition>();
        foreach (var id in RequiredStrings(body, "ids"))
        {
            if (await store.FindByIdAsync(id, cancellationToken) is { } definition)
            {
                found.Add(definition);
            }
        }

        if (found.Count == 0)
        {
            return ElsaJson.NotFound("none of the workflow definition versions in 'ids' exists");
        }

        if (found.Count == 1)
        {
            return Results.File(Encoding.UTF8.GetBytes(DefinitionWriter.WriteString(found[0], includeSchema: true)), "application/json", ExportFileName(found[0]));
        }

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var definition in found)
            {
                await using var entry = archive.CreateEntry(ExportFileName(definition), CompressionLevel.Optimal).Open();
                await entry.WriteAsync(Encoding.UTF8.GetBytes(DefinitionWriter.WriteString(definition, includeSchema: true)), cancellationToken);
            }
        }

        return Results.File(zip.ToArray(), "application/zip", "workflow-definitions.zip");
    }

    public static string ExportFileName(WorkflowDefinition definition)
    {
        var slug = new string((definition.Name ?? definition.DefinitionId).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return $"workflow-definition-{slug}-{definition.DefinitionId}-{definition.Id}.json";
    }

    private static async Task<IResult> BulkDeleteInstancesAsync(HttpRequest request, IWorkflowInstanceStore instances, IWorkflowUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var deleted = 0;
        foreach (var id in RequiredStrings(body, "ids"))
        {
            if (await instances.FindAsync(id, cancellationToken) is not null)
            {
                await instances.DeleteAsync(id, cancellationToken);
                deleted++;
            }
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        return ElsaJson.Ok(new JsonObject { ["deleted"] = deleted });
    }

    /// <summary>Elsa's instance export: <c>{WorkflowState, Bookmarks, ActivityExecutionRecords, WorkflowExecutionLogRecords}</c> (Elsa writes these four names in PascalCase).</summary>
    private static async Task<IResult> ExportInstanceAsync(string id, IWorkflowInstanceStore instances, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var exported = await ExportModelAsync(id, instances, journal, cancellationToken);
        return exported is null
            ? ElsaJson.NotFound($"workflow instance '{id}' not found")
            : Results.File(Encoding.UTF8.GetBytes(exported.ToJsonString(WorkflowJson.Options)), "application/json", $"workflow-instance-{id}.json");
    }

    private static async Task<IResult> BulkExportInstancesAsync(HttpRequest request, IWorkflowInstanceStore instances, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var ids = RequiredStrings(body, "ids");
        if (ids.Count == 1)
        {
            return await ExportInstanceAsync(ids[0], instances, journal, cancellationToken);
        }

        using var zip = new MemoryStream();
        var count = 0;
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                if (await ExportModelAsync(id, instances, journal, cancellationToken) is { } exported)
                {
                    await using var entry = archive.CreateEntry($"workflow-instance-{id}.json", CompressionLevel.Optimal).Open();
                    await entry.WriteAsync(Encoding.UTF8.GetBytes(exported.ToJsonString(WorkflowJson.Options)), cancellationToken);
                    count++;
                }
            }
        }

        return count == 0 ? Results.NoContent() : Results.File(zip.ToArray(), "application/zip", "workflow-instances.zip");
    }

    private static async Task<JsonObject?> ExportModelAsync(string id, IWorkflowInstanceStore instances, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var stored = await instances.FindAsync(id, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var state = stored.State;
        return new JsonObject
        {
            ["WorkflowState"] = ElsaJson.State(state),
            ["Bookmarks"] = new JsonArray(state.Bookmarks.Select(b => (JsonNode)new JsonObject
            {
                ["id"] = b.Id, ["activityTypeName"] = b.Name, ["workflowInstanceId"] = state.Id, ["activityInstanceId"] = b.ActivityInstanceId,
                ["hash"] = b.Hash, ["correlationId"] = state.CorrelationId, ["createdAt"] = ElsaJson.Date(b.CreatedAt),
                ["payload"] = b.Payload?.DeepClone(), ["metadata"] = b.Metadata?.DeepClone(),
            }).ToArray()),
            ["ActivityExecutionRecords"] = JsonSerializer.SerializeToNode(await journal.ListExecutionsAsync(id, cancellationToken), WorkflowJson.Options),
            ["WorkflowExecutionLogRecords"] = JsonSerializer.SerializeToNode(await journal.ListAsync(id, cancellationToken), WorkflowJson.Options),
        };
    }

    /// <summary>Elsa's instance import: multipart <c>files</c>, each an exported instance (.json) or a zip of them; answers <c>{imported, count}</c>.</summary>
    private static async Task<IResult> ImportInstancesAsync(HttpRequest request, WorkflowHost host, CancellationToken cancellationToken)
    {
        var form = await Documents.MultipartForm.ReadAsync(request, cancellationToken, "files");
        if (form.Files.Count == 0)
        {
            throw new InputValidationException("files", "files must hold at least one exported workflow instance (.json or .zip)");
        }

        var imported = 0;
        foreach (var file in form.Files)
        {
            await using var stream = file.OpenReadStream();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            var bytes = buffer.ToArray();
            if (bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K')
            {
                using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
                foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
                {
                    using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                    await ImportOneAsync(await reader.ReadToEndAsync(cancellationToken), $"{file.FileName}/{entry.FullName}", host, cancellationToken);
                    imported++;
                }
            }
            else
            {
                await ImportOneAsync(Encoding.UTF8.GetString(bytes), file.FileName, host, cancellationToken);
                imported++;
            }
        }

        return ElsaJson.Ok(new JsonObject { ["imported"] = imported, ["count"] = imported });
    }

    private static async Task ImportOneAsync(string text, string source, WorkflowHost host, CancellationToken cancellationToken)
    {
        var json = JsonRead.TryParse(text) as JsonObject ?? throw new InputValidationException("files", $"{source} is not a JSON object");
        JsonNode? Part(string name) => json.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        try
        {
            var state = Part("workflowState")?.Deserialize<WorkflowState>(WorkflowJson.Options);
            if (state is null || string.IsNullOrWhiteSpace(state.Id) || string.IsNullOrWhiteSpace(state.DefinitionVersionId))
            {
                throw new InputValidationException("files", $"{source} has no workflowState with an id and a definitionVersionId");
            }

            var executions = Part("activityExecutionRecords")?.Deserialize<List<ActivityExecutionRecord>>(WorkflowJson.Options) ?? [];
            var records = Part("workflowExecutionLogRecords")?.Deserialize<List<JournalRecord>>(WorkflowJson.Options) ?? [];
            await host.ImportAsync(state, records.Where(r => r.WorkflowInstanceId == state.Id).ToList(), executions.Where(e => e.WorkflowInstanceId == state.Id).ToList(), cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new InputValidationException("files", $"{source} is not an exported workflow instance: {ex.Message}");
        }
    }

    private static async Task<IResult> DescriptorAsync(string typeName, int? version, ActivityRegistry registry, Core.Approvals.DesignerChoices choices, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var registration = registry.Find(typeName);
        if (registration is null)
        {
            // A workflow usable as an activity: the version asked for, else (like the registry) the latest one.
            var versions = (await WorkflowDefinitionActivities.DescribeAllAsync(store, cancellationToken))
                .Where(d => d["typeName"]!.GetValue<string>() == typeName).ToList();
            var match = versions.FirstOrDefault(d => version is null || d["version"]!.GetValue<int>() == version)
                ?? versions.MaxBy(d => d["version"]!.GetValue<int>());
            return match is null ? ElsaJson.NotFound($"activity type '{typeName}' is not registered") : ElsaJson.Ok(match);
        }

        if (registration.Descriptor is null || (version is { } v && v != registration.Version))
        {
            return ElsaJson.NotFound($"activity type '{typeName}' is not registered");
        }

        return ElsaJson.Ok(await choices.DescribeAsync(registration.Descriptor, cancellationToken));
    }

    /// <summary>
    /// The Test tab: runs one activity of a definition version on its own (Elsa's <c>ActivityTestRunner</c>), in a
    /// throw-away instance that is never stored, and answers its evaluated inputs, outputs, outcomes and status.
    /// </summary>
    private static async Task<IResult> TestActivityAsync(HttpRequest request, IWorkflowDefinitionStore store, IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var handle = body.GetObject("workflowDefinitionHandle") ?? throw new InputValidationException("workflowDefinitionHandle", "workflowDefinitionHandle is required");
        var activityHandle = body.GetObject("activityHandle") ?? throw new InputValidationException("activityHandle", "activityHandle is required");
        WorkflowDefinition? definition;
        if (handle.GetString("definitionVersionId") is { Length: > 0 } versionId)
        {
            definition = await store.FindByIdAsync(versionId, cancellationToken);
        }
        else if (handle.GetString("definitionId") is { Length: > 0 } definitionId)
        {
            var options = handle["versionOptions"] is { } o ? VersionOptions.Parse(JsonRead.AsString(o)) ?? throw new InputValidationException("workflowDefinitionHandle.versionOptions", "unknown versionOptions") : VersionOptions.Latest;
            definition = await store.FindAsync(definitionId, options, cancellationToken);
        }
        else
        {
            throw new InputValidationException("workflowDefinitionHandle", "workflowDefinitionHandle needs definitionVersionId or definitionId");
        }

        if (definition is null)
        {
            throw new InputValidationException("workflowDefinitionHandle", "workflow definition not found");
        }

        var nodeId = activityHandle.GetString("activityNodeId");
        var activityId = activityHandle.GetString("activityId");
        if (nodeId is null && activityId is null)
        {
            throw new InputValidationException("activityHandle", "activityHandle needs activityNodeId or activityId");
        }

        var activity = FindActivity(definition.Root, nodeId, activityId)
            ?? throw new InputValidationException("activityHandle", $"activity '{nodeId ?? activityId}' not found in the definition");
        var targetId = activity.GetString("id")!;
        var root = ReferenceEquals(activity, definition.Root) ? (JsonObject)definition.Root.DeepClone() : new JsonObject
        {
            ["id"] = "ActivityTest", ["type"] = Flowchart.TypeName, ["version"] = 1,
            ["variables"] = definition.Root["variables"]?.DeepClone(),
            ["activities"] = new JsonArray(activity.DeepClone()),
            ["connections"] = new JsonArray(),
        };

        await using var scope = scopes.CreateAsyncScope();
        var loader = scope.ServiceProvider.GetRequiredService<DefinitionLoader>();
        var runner = scope.ServiceProvider.GetRequiredService<WorkflowRunner>();
        Workflow workflow;
        try
        {
            workflow = loader.Load(definition with { Root = root });
        }
        catch (DefinitionException ex)
        {
            return ElsaJson.Ok(new JsonObject
            {
                ["activityState"] = new JsonObject(), ["status"] = ActivityStatus.Faulted.ToString(),
                ["exception"] = new JsonObject { ["type"] = nameof(DefinitionException), ["message"] = ex.Message },
            });
        }

        var result = await runner.StartAsync(workflow, new StartWorkflowRequest { InstanceId = "test-" + Guid.NewGuid().ToString("N")[..11] }, cancellationToken);
        var record = result.ActivityExecutions.Where(e => e.ActivityId == targetId).OrderBy(e => e.StartedAt).LastOrDefault();
        if (record is null)
        {
            return ElsaJson.Ok(new JsonObject { ["activityState"] = new JsonObject(), ["status"] = ActivityStatus.Pending.ToString() });
        }

        return ElsaJson.Ok(new JsonObject
        {
            ["activityState"] = record.ActivityState?.DeepClone() ?? new JsonObject(),
            ["outputs"] = record.Outputs?.DeepClone(),
            ["payload"] = record.Payload?.DeepClone(),
            ["exception"] = ElsaJson.Record(record.Exception),
            ["status"] = record.Status.ToString(),
        });
    }

    private static JsonObject? FindActivity(JsonObject activity, string? nodeId, string? activityId)
    {
        var id = activity.GetString("id");
        if ((nodeId is not null && (activity.GetString("nodeId") == nodeId || nodeId.EndsWith(":" + id, StringComparison.Ordinal) || nodeId == id))
            || (nodeId is null && id == activityId))
        {
            return activity;
        }

        foreach (var (_, value) in activity)
        {
            var children = value switch
            {
                JsonArray array => array.OfType<JsonObject>(),
                JsonObject child when DefinitionWriter.IsActivityObject(child) => [child],
                _ => [],
            };
            foreach (var child in children.Where(DefinitionWriter.IsActivityObject))
            {
                if (FindActivity(child, nodeId, activityId) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>Elsa's call stack: the chain of executions that scheduled this one, outermost first, ending with it.</summary>
    private static async Task<IResult> CallStackAsync(string id, int? skip, int? take, IWorkflowJournalStore journal, CancellationToken cancellationToken)
    {
        var record = await journal.FindExecutionAsync(id, cancellationToken);
        if (record is null)
        {
            return ElsaJson.NotFound($"activity execution '{id}' not found");
        }

        var byId = (await journal.ListExecutionsAsync(record.WorkflowInstanceId, cancellationToken)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var chain = new List<ActivityExecutionRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = record; current is not null && seen.Add(current.Id);)
        {
            chain.Add(current);
            current = current.SchedulingActivityExecutionId is { } parent ? byId.GetValueOrDefault(parent) : null;
        }

        chain.Reverse();
        var page = chain.Skip(Math.Max(0, skip ?? 0)).Take(Math.Clamp(take is null or <= 0 ? 100 : take.Value, 1, 1000));
        return ElsaJson.Ok(new JsonObject
        {
            ["activityExecutionId"] = id,
            ["items"] = new JsonArray(page.Select(e => ElsaJson.Record(e)).ToArray()),
            ["totalCount"] = chain.Count,
        });
    }

    /// <summary>
    /// TypeScript declarations for the Studio's JavaScript editor (Monaco): our script functions, the generated
    /// accessors of the definition's variables and inputs, the <c>variables</c> object and the common types.
    /// </summary>
    private static async Task<IResult> TypeDefinitionsAsync(string definitionId, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var definition = await store.FindAsync(definitionId, VersionOptions.Latest, cancellationToken);
        return Results.Text(JavaScriptTypeDefinitions.For(definition), "application/x-typescript", Encoding.UTF8);
    }

    private static List<string> RequiredStrings(JsonObject body, string name)
    {
        var node = body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is not JsonArray array || array.Count == 0)
        {
            throw new InputValidationException(name, $"{name} must be a non-empty array of ids");
        }

        return array.Select(JsonRead.AsString).Select(s => string.IsNullOrWhiteSpace(s) ? throw new InputValidationException(name, $"{name} must hold ids, not empty values") : s).ToList();
    }
}
