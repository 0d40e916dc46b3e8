using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Notices;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Documents;

namespace SafetyWorkflows.Web.Notices;

public sealed record NoticeDto(
    string Kind, string Title, string TitleEn, bool Issued, string? Number, string? DocumentVersion, string? Sha256,
    DateTimeOffset? IssuedAt, string? IssuedBy, string? SignatureAlgorithm, string? VerifyUrl, string PdfUrl, string? WhyNot);

public static class NoticeEndpoints
{
    public static IEndpointRouteBuilder MapNoticeEndpoints(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/api/documents/{id:guid}").WithTags("Notices");
        documents.MapGet("/notices", ListAsync).WithName("ListNotices")
            .WithSummary("The official notices the document has or can have (kind, 文号 once issued, SHA-256, verify link).");
        documents.MapGet("/notice.pdf", PdfAsync).WithName("GetNoticePdf")
            .WithSummary("The document's official notice as PDF, issued (numbered, signed, stored, audited) on first fetch; ?kind= when it has several kinds.");
        documents.MapGet("/notice.p7s", SignatureAsync).WithName("GetNoticeSignature")
            .WithSummary("The detached PKCS#7 signature over the notice PDF's bytes.");

        var me = app.MapGroup("/api/me/signature").WithTags("Notices");
        me.MapGet("/", GetSignatureImageAsync).WithName("GetSignatureImage").WithSummary("The caller's signature image (204 when none is registered).");
        me.MapPut("/", PutSignatureImageAsync).WithName("PutSignatureImage")
            .WithSummary("Registers the caller's signature image (multipart: file, PNG or JPEG), stamped on notices of their approve and sign decisions.")
            .Accepts<SignatureForm>("multipart/form-data").DisableAntiforgery();
        me.MapDelete("/", DeleteSignatureImageAsync).WithName("DeleteSignatureImage").WithSummary("Removes the caller's signature image (204 whether or not there was one).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<NoticeDto>>> ListAsync(Guid id, HttpContext context, IssueNotice notices, INoticeLinks links, CancellationToken cancellationToken)
    {
        var list = await notices.ListAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<NoticeDto>>(list.Select(s => new NoticeDto(
            s.Kind.Key, s.Kind.TitleZh, s.Kind.TitleEn, s.Notice is not null, s.Notice?.Number, s.Notice?.DocumentVersion, s.Notice?.Sha256,
            s.Notice?.IssuedAt, s.Notice?.IssuedBy, s.Notice?.SignatureAlgorithm, s.Notice is null ? null : links.VerifyUrl(s.Notice.VerificationCode),
            $"/api/documents/{id}/notice.pdf?kind={s.Kind.Key}", s.Notice is null ? s.WhyNot : null)).ToList());
    }

    private static async Task<FileStreamHttpResult> PdfAsync(Guid id, string? kind, HttpContext context, IssueNotice notices, CancellationToken cancellationToken)
    {
        var (notice, content) = await notices.OpenAsync(id, kind, context.User.ToActor(), cancellationToken);
        context.Response.Headers["X-Notice-Number"] = Uri.EscapeDataString(notice.Number);
        return DocumentEndpoints.StoredContent(content, "application/pdf", notice.FileName, notice.Sha256);
    }

    private static async Task<FileContentHttpResult> SignatureAsync(Guid id, string? kind, HttpContext context, IssueNotice notices, CancellationToken cancellationToken)
    {
        var notice = await notices.GetOrIssueAsync(id, kind, context.User.ToActor(), cancellationToken);
        return TypedResults.File(notice.Signature, "application/pkcs7-signature", $"{notice.Number}.p7s");
    }

    private static async Task<Results<FileContentHttpResult, NoContent>> GetSignatureImageAsync(
        HttpContext context, SignatureImages images, CancellationToken cancellationToken)
    {
        var image = await images.GetAsync(context.User.ToActor(), cancellationToken);
        return image is null ? TypedResults.NoContent() : TypedResults.File(image.Content, image.ContentType);
    }

    private static async Task<NoContent> PutSignatureImageAsync(HttpRequest request, SignatureImages images, CancellationToken cancellationToken)
    {
        var form = await MultipartForm.ReadAsync(request, cancellationToken);
        var file = form.Files.GetFile("file");
        await using var content = file?.OpenReadStream();
        await images.SaveAsync(request.HttpContext.User.ToActor(), content, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeleteSignatureImageAsync(HttpContext context, SignatureImages images, CancellationToken cancellationToken)
    {
        await images.DeleteAsync(context.User.ToActor(), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The multipart field of a signature upload, for the OpenAPI document.</summary>
    public sealed record SignatureForm(IFormFile File);

    /// <summary>Creates the installation's signing certificate at first start and loads the font, so a gap shows at once.</summary>
    public static IServiceProvider PrepareNotices(this IServiceProvider services)
    {
        _ = services.GetRequiredService<INoticeSigner>();
        _ = services.GetRequiredService<INoticeRenderer>();
        return services;
    }
}
