using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Incidents;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Documents;
using SafetyWorkflows.Web.Localization;
using SafetyWorkflows.Web.Organisation;

namespace SafetyWorkflows.Web.Incidents;

/// <summary>
/// An incident that stopped a workflow (流程异常). <c>Kind</c> is <c>budget</c> (a runaway loop stopped by the execution
/// budget) or <c>fault</c>; <c>Message</c> the fault as recorded; <c>Text</c> what it means in the request's language;
/// <c>Notified</c> the names of those told to retry it; <c>RetryUrl</c> where to retry it once the cause is fixed.
/// </summary>
public sealed record IncidentDto(
    string Id,
    string WorkflowInstanceId,
    string ActivityId,
    string Step,
    string Kind,
    string Message,
    string Text,
    DateTimeOffset RaisedAt,
    Guid? DocumentId,
    string? Title,
    IReadOnlyList<string> Notified,
    string? RetryUrl);

/// <summary>What a retry did: <c>Resumed</c> when the workflow carries on; otherwise the incidents still open.</summary>
public sealed record RetryResponse(
    bool Resumed, string SubStatus, IReadOnlyList<IncidentDto> Incidents, IReadOnlyList<string> Notified, DocumentDto? Document);

public static class IncidentEndpoints
{
    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/incidents", ListAsync).WithName("ListIncidents").WithTags("Incidents")
            .WithSummary("流程异常: every workflow stopped on an incident, waiting for a retry (safety head and administrators).");
        app.MapPost("/api/documents/{id:guid}/incidents/{incidentId}/retry", RetryAsync)
            .WithName("RetryIncident").WithTags("Incidents")
            .WithSummary("重试: runs the document's stopped workflow again from the failed step, once the cause is fixed.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<IncidentDto>>> ListAsync(
        HttpContext context, QueryIncidents query, PeopleNames people, CancellationToken cancellationToken)
    {
        if (!RetryIncident.MayRetry(context.User.ToActor()))
        {
            throw new ForbiddenException("只有安办负责人或系统管理员可以查看流程异常 " +
                "(only the head of the safety office or an administrator may list stopped workflows).");
        }

        var incidents = await query.ListOpenAsync(200, cancellationToken);
        await people.LoadAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<IncidentDto>>(incidents.Select(i => i.ToDto(people)).ToList());
    }

    private static async Task<Ok<RetryResponse>> RetryAsync(
        Guid id, string incidentId, HttpContext context, RetryIncident retry, QueryDocuments documents, QueryIncidents query,
        PeopleNames people, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        await documents.GetAsync(id, actor, cancellationToken);
        var outcome = await retry.HandleForDocumentAsync(id, incidentId, actor, cancellationToken);
        await people.LoadAsync(cancellationToken);
        var document = await documents.GetAsync(id, actor, cancellationToken);
        var open = await query.ForDocumentAsync(id, cancellationToken);
        var dto = document.ToDto() with { Incidents = open.Select(i => i.ToDto(people)).ToList() };
        var remaining = outcome.Incidents.Select(i => i.ToDto(people)).ToList();
        return TypedResults.Ok(new RetryResponse(outcome.Resumed, outcome.SubStatus, remaining, outcome.Notified, dto));
    }

    public static IncidentDto ToDto(this OpenIncident incident, PeopleNames people) => new(
        incident.Id,
        incident.WorkflowInstanceId,
        incident.ActivityId,
        incident.Step,
        incident.IsBudget ? "budget" : "fault",
        incident.Message,
        UiText.Message(incident.Words),
        incident.RaisedAt,
        incident.DocumentId,
        incident.Title,
        incident.Notified.Select(people.Name).ToList(),
        incident.DocumentId is { } documentId ? $"/api/documents/{documentId}/incidents/{incident.Id}/retry" : null);
}
