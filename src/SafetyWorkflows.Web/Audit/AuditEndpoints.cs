using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Documents;

namespace SafetyWorkflows.Web.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit");
        audit.MapGet("/", ListAsync).WithName("ListAudit")
            .WithSummary("Audit entries, newest first; with documentId, those of one document (anyone who may see it), otherwise all, " +
                "narrowed by actor and action (the audit administrator, whose reading is itself audited).");
        audit.MapGet("/verify", VerifyAsync).RequireAuthorization(AuthSetup.AuditAdminPolicy).WithName("VerifyAudit")
            .WithSummary("Walks the hash chain and names the first entry that does not match (the audit administrator).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AuditEntryDto>>> ListAsync(
        Guid? documentId, string? actor, string? action, int? take, HttpContext context, IAuditLog audit, DocumentLoader loader, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToActor();
        var count = take ?? 200;
        if (count is < 1 or > 1000)
        {
            throw new InputValidationException("take", "take must be between 1 and 1000.");
        }

        if (documentId is { } id && !caller.HasRole(Roles.AuditAdmin))
        {
            await loader.LoadVisibleAsync(id, caller, cancellationToken);
        }
        else if (!caller.HasRole(Roles.AuditAdmin))
        {
            throw new ForbiddenException("只有审计管理员可以查看全部审计记录 (only the audit administrator may list the whole audit log; pass documentId).");
        }
        else
        {
            await audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), caller.UserName, AuditActions.AuditRead, documentId, null,
                $"查阅审计记录（{Describe(documentId, actor, action)}） (audit log read)"), cancellationToken);
        }

        var entries = await audit.ListAsync(new AuditQuery(documentId, Blank(actor), Blank(action)), count, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AuditEntryDto>>(entries.Select(e => e.ToDto()).ToList());
    }

    private static async Task<Ok<AuditVerifyDto>> VerifyAsync(HttpContext context, IAuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await audit.VerifyAndRecordAsync(context.User.ToActor().UserName, clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new AuditVerifyDto(result.Ok, result.Entries, result.FirstBrokenEntryId, result.Reason));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Describe(Guid? documentId, string? actor, string? action)
    {
        var parts = new List<string>();
        if (documentId is not null)
        {
            parts.Add($"文档 {documentId}");
        }

        if (Blank(actor) is { } who)
        {
            parts.Add($"人员 {who[..Math.Min(who.Length, 64)]}");
        }

        if (Blank(action) is { } what)
        {
            parts.Add($"操作 {what[..Math.Min(what.Length, 64)]}");
        }

        return parts.Count == 0 ? "全部" : string.Join("，", parts);
    }
}
