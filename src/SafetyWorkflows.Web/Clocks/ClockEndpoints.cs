using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Clocks;

public sealed record ClockDto(DateTimeOffset? At, string Kind, string Rule, string? Step, Guid? DocumentId, string? DocumentTitle, string? WorkflowInstanceId, string? DefinitionId, Guid? TaskId, string? Note);

public sealed record ClockBoardDto(IReadOnlyList<string> Warnings, IReadOnlyList<ClockDto> Items);

public static class ClockEndpoints
{
    public static IEndpointRouteBuilder MapClockEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clocks", ListAsync).WithName("ListClocks").WithTags("Clocks").RequireAuthorization(AuthSetup.AdminPolicy)
            .WithSummary("Every pending deadline, reminder, escalation, timer and recurring job with the rule that created it (administrators).");
        app.MapGet("/api/documents/{id:guid}/clocks", ForDocumentAsync).WithName("DocumentClocks").WithTags("Clocks")
            .WithSummary("The pending deadlines, reminders and escalations of a document's workflow.");
        app.MapGet("/api/tasks/{id:guid}/clocks", ForTaskAsync).WithName("TaskClocks").WithTags("Clocks")
            .WithSummary("The next reminders, escalations and time-out of a task's step.");
        return app;
    }

    private static async Task<Ok<ClockBoardDto>> ListAsync(IClockBoard board, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ClockBoardDto(await board.WarningsAsync(cancellationToken), (await board.ListAsync(1000, cancellationToken)).Select(ToDto).ToList()));

    private static async Task<Ok<IReadOnlyList<ClockDto>>> ForDocumentAsync(Guid id, HttpContext context, QueryDocuments documents, IClockBoard board, CancellationToken cancellationToken)
    {
        // Visibility as for the document itself (404/403 otherwise).
        await documents.GetAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ClockDto>>((await board.ForDocumentAsync(id, cancellationToken)).Select(ToDto).ToList());
    }

    private static async Task<Ok<IReadOnlyList<ClockDto>>> ForTaskAsync(
        Guid id, HttpContext context, Core.Approvals.TaskLoader loader, IClockBoard board, CancellationToken cancellationToken)
    {
        // Visibility as for the task itself (404/403 otherwise).
        await loader.LoadVisibleAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ClockDto>>((await board.ForTaskAsync(id, cancellationToken)).Select(ToDto).ToList());
    }

    private static ClockDto ToDto(PendingClock c) =>
        new(c.At, c.Kind.ToString(), c.Rule, c.Step, c.DocumentId, c.DocumentTitle, c.WorkflowInstanceId, c.DefinitionId, c.TaskId, c.Note);
}
