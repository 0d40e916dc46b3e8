using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>The JSON Elsa's API writes, built explicitly so that field names and shapes match Elsa 3.8.</summary>
internal static class ElsaJson
{
    public const string Prefix = "/elsa/api";

    public static IResult Ok(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(WorkflowJson.Options), "application/json", statusCode: status);

    public static IResult Ok<T>(T body) => Results.Json(body, WorkflowJson.Options);

    public static JsonObject ListOf(IEnumerable<JsonNode?> items, int? totalCount = null)
    {
        var array = new JsonArray(items.ToArray());
        return totalCount is { } total
            ? new JsonObject { ["items"] = array, ["totalCount"] = total }
            : new JsonObject { ["items"] = array, ["count"] = array.Count };
    }

    /// <summary>A definition version as the Studio reads it: Elsa's model plus links (the editor needs <c>publish</c> to allow edits).</summary>
    public static JsonObject Definition(WorkflowDefinition definition)
    {
        var json = DefinitionWriter.Write(definition);
        json["root"] = NotFoundActivities.Wrap(json["root"]!.AsObject());
        json["materializerName"] = "Json";
        var links = new JsonArray { Link($"{Prefix}/workflow-definitions/by-id/{definition.Id}", "self", "GET") };
        if (definition.IsLatest)
        {
            links.Add(Link($"{Prefix}/workflow-definitions/{definition.DefinitionId}/publish", "publish", "POST"));
        }

        if (definition.IsPublished)
        {
            links.Add(Link($"{Prefix}/workflow-definitions/{definition.DefinitionId}/retract", "unpublish", "POST"));
        }

        json["links"] = links;
        return json;
    }

    /// <summary>A list row: Elsa's summary plus the links the definition list reads (<c>publish</c> makes the row editable).</summary>
    public static JsonObject Summary(WorkflowDefinitionSummary s)
    {
        var json = SummaryFields(s);
        var links = new JsonArray { Link($"{Prefix}/workflow-definitions/by-id/{s.Id}", "self", "GET") };
        if (s.IsLatest)
        {
            links.Add(Link($"{Prefix}/workflow-definitions/{s.DefinitionId}/publish", "publish", "POST"));
            links.Add(Link($"{Prefix}/workflow-definitions/{s.DefinitionId}", "delete", "DELETE"));
        }

        if (s.IsPublished)
        {
            links.Add(Link($"{Prefix}/workflow-definitions/{s.DefinitionId}/retract", "unpublish", "POST"));
        }

        json["links"] = links;
        return json;
    }

    private static JsonObject SummaryFields(WorkflowDefinitionSummary s) => new()
    {
        ["id"] = s.Id,
        ["definitionId"] = s.DefinitionId,
        ["name"] = s.Name,
        ["description"] = s.Description,
        ["version"] = s.Version,
        ["toolVersion"] = "3.8.0.0",
        ["isLatest"] = s.IsLatest,
        ["isPublished"] = s.IsPublished,
        ["providerName"] = "Default",
        ["materializerName"] = "Json",
        ["isMaterializerAvailable"] = true,
        ["createdAt"] = Date(s.CreatedAt),
        ["isReadonly"] = false,
    };

    public static JsonObject InstanceSummary(WorkflowInstanceSummary s) => new()
    {
        ["id"] = s.Id,
        ["definitionId"] = s.DefinitionId,
        ["definitionVersionId"] = s.DefinitionVersionId,
        ["version"] = s.Version,
        ["status"] = s.Status.ToString(),
        ["subStatus"] = s.SubStatus.ToString(),
        ["correlationId"] = s.CorrelationId,
        ["name"] = s.Name,
        ["incidentCount"] = s.IncidentCount,
        ["isSystem"] = false,
        ["createdAt"] = Date(s.CreatedAt),
        ["updatedAt"] = Date(s.UpdatedAt),
        ["finishedAt"] = s.FinishedAt is { } finished ? Date(finished) : null,
    };

    public static JsonObject Instance(WorkflowState state)
    {
        var json = InstanceSummary(new WorkflowInstanceSummary(
            state.Id, state.DefinitionId, state.DefinitionVersionId, state.DefinitionVersion, state.Status, state.SubStatus,
            state.CorrelationId, state.Name, state.Incidents.Count, state.CreatedAt, state.UpdatedAt, state.FinishedAt));
        json["parentWorkflowInstanceId"] = state.ParentWorkflowInstanceId;
        json["isExecuting"] = state.IsExecuting;
        json["workflowState"] = State(state);
        return json;
    }

    public static JsonNode State(WorkflowState state) => JsonSerializer.SerializeToNode(state, WorkflowJson.Options)!;

    public static JsonNode Record<T>(T record) => JsonSerializer.SerializeToNode(record, WorkflowJson.Options)!;

    /// <summary>Reads a JSON object body; bad JSON or another JSON kind is a 400 naming the body.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await StrictJson.ParseAsync(request.Body, cancellationToken) as JsonObject
                ?? throw new InputValidationException("body", "the body must be a JSON object");
        }
        catch (StrictJsonException ex)
        {
            throw new InputValidationException(ex.JsonPath, $"the body is not valid JSON at {ex.JsonPath}: {ex.Reason}");
        }
        catch (JsonException ex)
        {
            throw new InputValidationException("body", $"the body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>An optional JSON object body: empty when the request has none.</summary>
    public static async Task<JsonObject> ReadOptionalObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.ContentLength is > 0 || request.ContentType is not null ? await ReadObjectAsync(request, cancellationToken) : [];

    public static IResult NotFound(string message) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: message, detail: message);

    public static JsonObject Link(string href, string rel, string method) => new() { ["href"] = href, ["rel"] = rel, ["method"] = method };

    public static string Date(DateTimeOffset value) => value.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
