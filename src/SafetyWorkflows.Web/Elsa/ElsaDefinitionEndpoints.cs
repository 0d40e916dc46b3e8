using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>Elsa's workflow-definition endpoints: list, get, save, publish, retract, delete, revert, import and export.</summary>
internal static class ElsaDefinitionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/workflow-definitions", ListAsync);
        api.MapGet("/workflow-definitions/by-definition-id/{definitionId}", GetByDefinitionIdAsync);
        api.MapGet("/workflow-definitions/by-id/{id}", GetByIdAsync);
        api.MapGet("/workflow-definitions/many-by-id", ManyByIdAsync);
        api.MapGet("/workflow-definitions/query/count", CountAsync);
        api.MapGet("/workflow-definitions/validation/is-name-unique", IsNameUniqueAsync);
        api.MapPost("/workflow-definitions", SaveAsync);
        api.MapPost("/workflow-definitions/{definitionId}/publish", PublishAsync);
        api.MapPost("/workflow-definitions/{definitionId}/retract", RetractAsync);
        api.MapDelete("/workflow-definitions/{definitionId}", DeleteAsync);
        api.MapDelete("/workflow-definition-versions/{id}", DeleteVersionAsync);
        api.MapPost("/workflow-definitions/{definitionId}/revert/{version:int}", RevertAsync);
        api.MapPost("/workflow-definitions/import", ImportAsync);
        api.MapPost("/workflow-definitions/import-files", ImportFilesAsync);
        api.MapGet("/workflow-definitions/{definitionId}/export", ExportAsync);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var options = VersionOptions.Parse(query["versionOptions"]) ?? VersionOptions.Latest;
        IEnumerable<WorkflowDefinitionSummary> summaries = await store.ListSummariesAsync(options, cancellationToken);
        var definitionIds = Values(query, "definitionIds");
        var ids = Values(query, "ids");
        if (definitionIds.Count > 0)
        {
            summaries = summaries.Where(s => definitionIds.Contains(s.DefinitionId));
        }

        if (ids.Count > 0)
        {
            summaries = summaries.Where(s => ids.Contains(s.Id));
        }

        if (query["searchTerm"].ToString() is { Length: > 0 } term)
        {
            summaries = summaries.Where(s => (s.Name ?? "").Contains(term, StringComparison.OrdinalIgnoreCase)
                || s.DefinitionId.Contains(term, StringComparison.OrdinalIgnoreCase) || (s.Description ?? "").Contains(term, StringComparison.OrdinalIgnoreCase));
        }

        var descending = string.Equals(query["orderDirection"], "Descending", StringComparison.OrdinalIgnoreCase);
        summaries = query["orderBy"].ToString() switch
        {
            "Version" => descending ? summaries.OrderByDescending(s => s.Version) : summaries.OrderBy(s => s.Version),
            "Created" => descending ? summaries.OrderByDescending(s => s.CreatedAt) : summaries.OrderBy(s => s.CreatedAt),
            _ => descending ? summaries.OrderByDescending(s => s.Name) : summaries.OrderBy(s => s.Name),
        };
        var all = summaries.ToList();
        var page = int.TryParse(query["page"], out var p) && p >= 0 ? p : (int?)null;
        var pageSize = int.TryParse(query["pageSize"], out var size) && size > 0 ? size : (int?)null;
        var items = page is { } pageIndex && pageSize is { } limit ? all.Skip(pageIndex * limit).Take(limit) : all;
        var body = ElsaJson.ListOf(items.Select(s => (JsonNode)ElsaJson.Summary(s)), all.Count);
        body["links"] = new JsonArray { ElsaJson.Link($"{ElsaJson.Prefix}/bulk-actions/publish/workflow-definitions/by-definition-ids", "bulk-publish", "POST") };
        return ElsaJson.Ok(body);
    }

    private static async Task<IResult> GetByDefinitionIdAsync(string definitionId, string? versionOptions, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var options = ParseVersionOptions(versionOptions) ?? VersionOptions.Latest;
        var definition = await store.FindAsync(definitionId, options, cancellationToken);
        return definition is null ? ElsaJson.NotFound($"workflow definition '{definitionId}' has no {options} version") : ElsaJson.Ok(ElsaJson.Definition(definition));
    }

    private static async Task<IResult> GetByIdAsync(string id, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var definition = await store.FindByIdAsync(id, cancellationToken);
        return definition is null ? ElsaJson.NotFound($"workflow definition version '{id}' not found") : ElsaJson.Ok(ElsaJson.Definition(definition));
    }

    private static async Task<IResult> ManyByIdAsync(HttpRequest request, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var found = new List<JsonNode?>();
        foreach (var id in Values(request.Query, "ids"))
        {
            if (await store.FindByIdAsync(id, cancellationToken) is { } definition)
            {
                found.Add(ElsaJson.Definition(definition));
            }
        }

        return ElsaJson.Ok(ElsaJson.ListOf(found));
    }

    private static async Task<IResult> CountAsync(IWorkflowDefinitionStore store, CancellationToken cancellationToken) =>
        ElsaJson.Ok(new JsonObject { ["count"] = (await store.ListSummariesAsync(VersionOptions.Latest, cancellationToken)).Count });

    private static async Task<IResult> IsNameUniqueAsync(string name, string? definitionId, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var summaries = await store.ListSummariesAsync(VersionOptions.Latest, cancellationToken);
        var unique = !summaries.Any(s => string.Equals(s.Name, name, StringComparison.Ordinal) && s.DefinitionId != definitionId);
        return ElsaJson.Ok(new JsonObject { ["isUnique"] = unique });
    }

    /// <summary>Studio's save and publish: <c>{model, publish}</c>. A definition that cannot run may be saved as a draft, never published.</summary>
    private static async Task<IResult> SaveAsync(
        HttpRequest request, IWorkflowDefinitionStore store, WorkflowDefinitionService service, DefinitionLoader loader, AssigneeWarnings check,
        CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var modelJson = body.GetObject("model") ?? throw new InputValidationException("model", "the body must be {\"model\": <workflow definition>, \"publish\": true|false}");
        if (modelJson.GetObject("root") is { } root)
        {
            NotFoundActivities.Unwrap(root);
        }
        var model = DefinitionReader.Read(modelJson, $"'{modelJson.GetString("definitionId") ?? "(new)"}'");
        var publish = body.GetBool("publish") ?? false;
        var existed = await store.FindAsync(model.DefinitionId, VersionOptions.Latest, cancellationToken) is not null;
        var saved = publish ? await service.PublishAsync(model.DefinitionId, model, cancellationToken) : await service.SaveDraftAsync(model, cancellationToken);
        var response = new JsonObject
        {
            ["workflowDefinition"] = ElsaJson.Definition(saved),
            ["alreadyPublished"] = false,
            ["consumingWorkflowCount"] = 0,
            ["validationErrors"] = new JsonArray(),
            ["warnings"] = publish ? await WarningsAsync(saved, loader, check, cancellationToken) : new JsonArray(),
        };
        return ElsaJson.Ok(response, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> PublishAsync(
        string definitionId, WorkflowDefinitionService service, DefinitionLoader loader, AssigneeWarnings check, CancellationToken cancellationToken)
    {
        var published = await service.PublishAsync(definitionId, null, cancellationToken);
        return ElsaJson.Ok(new JsonObject
        {
            ["workflowDefinition"] = ElsaJson.Definition(published),
            ["alreadyPublished"] = false,
            ["consumingWorkflowCount"] = 0,
            ["warnings"] = await WarningsAsync(published, loader, check, cancellationToken),
        });
    }

    /// <summary>
    /// Our addition to Elsa's publish response (Studio ignores it): literal assignees that resolve to nobody (at run time
    /// such a step goes to the safety head), and unconditional cycles (at run time they loop until the execution budget
    /// stops them). Publishing goes ahead either way. Each warning has a <c>kind</c>: <c>assignee</c> or <c>cycle</c>.
    /// </summary>
    private static async Task<JsonArray> WarningsAsync(WorkflowDefinition published, DefinitionLoader loader, AssigneeWarnings check, CancellationToken cancellationToken)
    {
        var workflow = loader.Load(published);
        var warnings = await check.CheckAsync(workflow, cancellationToken);
        var assignees = warnings.Select(w => (JsonNode)new JsonObject
        {
            ["kind"] = "assignee",
            ["activityId"] = w.ActivityId,
            ["step"] = w.Step,
            ["assignee"] = w.Assignee,
            ["message"] = w.Message,
        });
        var cycles = FlowCycles.FindUnconditional(workflow).Select(c => (JsonNode)new JsonObject
        {
            ["kind"] = "cycle",
            ["activityId"] = c.ActivityIds[0],
            ["flowchartId"] = c.FlowchartId,
            ["activityIds"] = new JsonArray(c.ActivityIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
            ["message"] = c.Message,
        });
        return new JsonArray(assignees.Concat(cycles).ToArray());
    }

    private static async Task<IResult> RetractAsync(string definitionId, WorkflowDefinitionService service, CancellationToken cancellationToken) =>
        ElsaJson.Ok(ElsaJson.Definition(await service.RetractAsync(definitionId, cancellationToken)));

    private static async Task<IResult> DeleteAsync(string definitionId, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        var deleted = await service.DeleteAsync(definitionId, cancellationToken);
        return deleted ? Results.NoContent() : ElsaJson.NotFound($"workflow definition '{definitionId}' not found");
    }

    private static async Task<IResult> DeleteVersionAsync(string id, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        var deleted = await service.DeleteVersionAsync(id, cancellationToken);
        return deleted ? Results.NoContent() : ElsaJson.NotFound($"workflow definition version '{id}' not found");
    }

    private static async Task<IResult> RevertAsync(string definitionId, int version, WorkflowDefinitionService service, CancellationToken cancellationToken) =>
        ElsaJson.Ok(ElsaJson.Definition(await service.RevertAsync(definitionId, version, cancellationToken)));

    /// <summary>Elsa's import: the exported document itself; 201 for a new definition, 200 for an existing one; published when it says so.</summary>
    private static async Task<IResult> ImportAsync(HttpRequest request, IWorkflowDefinitionStore store, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        var body = await ElsaJson.ReadObjectAsync(request, cancellationToken);
        var (definition, created) = await ImportOneAsync(body, "the request body", store, service, cancellationToken);
        return ElsaJson.Ok(ElsaJson.Definition(definition), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ImportFilesAsync(HttpRequest request, IWorkflowDefinitionStore store, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        var form = await Documents.MultipartForm.ReadAsync(request, cancellationToken, "files");
        var count = 0;
        foreach (var file in form.Files)
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken);
            var parsed = DefinitionReader.Parse(text, file.FileName);
            await ImportOneAsync(DefinitionWriter.Write(parsed), file.FileName, store, service, cancellationToken);
            count++;
        }

        return ElsaJson.Ok(new JsonObject { ["count"] = count });
    }

    private static async Task<IResult> ExportAsync(string definitionId, string? versionOptions, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var options = ParseVersionOptions(versionOptions) ?? VersionOptions.Latest;
        var definition = await store.FindAsync(definitionId, options, cancellationToken);
        if (definition is null)
        {
            return ElsaJson.NotFound($"workflow definition '{definitionId}' has no {options} version");
        }

        var json = DefinitionWriter.WriteString(definition, includeSchema: true);
        var slug = new string((definition.Name ?? definitionId).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return Results.File(Encoding.UTF8.GetBytes(json), "application/json", $"workflow-definition-{slug}-{definition.DefinitionId}-{definition.Id}.json");
    }

    private static async Task<(WorkflowDefinition Definition, bool Created)> ImportOneAsync(
        JsonObject json, string source, IWorkflowDefinitionStore store, WorkflowDefinitionService service, CancellationToken cancellationToken)
    {
        if (json.GetObject("root") is { } root)
        {
            NotFoundActivities.Unwrap(root);
        }

        var model = DefinitionReader.Read(json, source);
        var created = await store.FindAsync(model.DefinitionId, VersionOptions.Latest, cancellationToken) is null;
        var stored = model.IsPublished
            ? await service.PublishAsync(model.DefinitionId, model, cancellationToken)
            : await service.SaveDraftAsync(model, cancellationToken);
        return (stored, created);
    }

    private static VersionOptions? ParseVersionOptions(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : VersionOptions.Parse(text) ?? throw new InputValidationException("versionOptions", $"unknown versionOptions '{text}'");

    private static List<string> Values(IQueryCollection query, string name) =>
        query.Where(q => string.Equals(q.Key, name, StringComparison.OrdinalIgnoreCase) || string.Equals(q.Key, name + "[]", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value).OfType<string>().SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();

}
