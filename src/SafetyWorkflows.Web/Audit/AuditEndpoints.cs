using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Documents;

namespace SafetyWorkflows.Web.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit");
        audit.MapGet("/", ListAsync).WithName("ListAudit")
            .WithSummary("Audit entries, newest first; with documentId, those of one document (anyone who may see it), otherwise all (administrators).");
        audit.MapGet("/verify", VerifyAsync).RequireAuthorization(AuthSetup.AdminPolicy).WithName("VerifyAudit")
            .WithSummary("Walks the hash chain and names the first entry that does not match.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AuditEntryDto>>> ListAsync(
        Guid? documentId, int? take, HttpContext context, IAuditLog audit, DocumentLoader loader, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (documentId is { } id)
        {
            await loader.LoadVisibleAsync(id, actor, cancellationToken);
        }
        else if (!actor.IsAdmin)
        {
            throw new ForbiddenException("只有管理员可以查看全部审计记录 (only administrators may list the whole audit log; pass documentId).");
        }

        var count = take ?? 200;
        if (count is < 1 or > 1000)
        {
            throw new InputValidationException("take", "take must be between 1 and 1000.");
        }

        var entries = await audit.ListAsync(documentId, count, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AuditEntryDto>>(entries.Select(e => e.ToDto()).ToList());
    }

    private static async Task<Ok<AuditVerifyDto>> VerifyAsync(IAuditLog audit, CancellationToken cancellationToken)
    {
        var result = await audit.VerifyAsync(cancellationToken);
        return TypedResults.Ok(new AuditVerifyDto(result.Ok, result.Entries, result.FirstBrokenEntryId, result.Reason));
    }
}
