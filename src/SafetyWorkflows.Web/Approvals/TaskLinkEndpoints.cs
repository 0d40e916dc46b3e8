using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Approvals;

public sealed record TaskLinkDto(Guid Id, Guid TaskId, string UserName, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedBy, int Uses, DateTimeOffset? LastUsedAt);

/// <summary>The safety office's view of a task's signed links (<c>/t/{token}</c>) and their revocation.</summary>
public static class TaskLinkEndpoints
{
    public static IEndpointRouteBuilder MapTaskLinkEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks/{id:guid}").WithTags("Tasks");
        group.MapGet("/links", ListAsync).WithName("TaskLinks").WithSummary("The task's signed links (never the tokens): who, made, expires, revoked, uses (safety office).");
        group.MapPost("/links/revoke", RevokeAsync).WithName("RevokeTaskLinks").WithSummary("Revokes every live signed link of the task (safety office); audited.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<TaskLinkDto>>> ListAsync(Guid id, HttpContext context, TaskLinks links, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<TaskLinkDto>>([.. (await links.ListAsync(id, context.User.ToActor(), cancellationToken))
            .Select(l => new TaskLinkDto(l.Id, l.TaskId, l.UserName, l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.RevokedBy, l.Uses, l.LastUsedAt))]);

    private static async Task<Ok<RevokedLinksDto>> RevokeAsync(Guid id, HttpContext context, TaskLinks links, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RevokedLinksDto(await links.RevokeAsync(id, context.User.ToActor(), cancellationToken)));
}

public sealed record RevokedLinksDto(int Revoked);
