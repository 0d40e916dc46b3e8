using SafetyWorkflows.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Documents;

public static class DocumentEndpoints
{
    public static IEndpointRouteBuilder MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        var libraries = app.MapGroup("/api/libraries").WithTags("Documents");
        libraries.MapGet("/", ListLibraries).WithName("ListLibraries").WithSummary("The document libraries and their metadata columns.");
        libraries.MapGet("/{key}/documents", ListDocumentsAsync).WithName("ListDocuments")
            .WithSummary("Documents of a library the caller may see: sort=<column> or sort=-<column>, filter[<column>]=<value> (repeatable; ranges from..to; " +
                "also filter[status], filter[unit], filter[overdue], filter[mine]), view=<view id>, q, page, pageSize.");
        libraries.MapPost("/{key}/documents", UploadAsync).WithName("UploadDocument")
            .WithSummary("Uploads a document (multipart: file, metadata JSON, optional title) as version 0.1, Draft.")
            .Accepts<UploadForm>("multipart/form-data").DisableAntiforgery().WithIdempotencyKey();

        var documents = app.MapGroup("/api/documents/{id:guid}").WithTags("Documents");
        documents.MapGet("/", GetAsync).WithName("GetDocument").WithSummary("One document.");
        documents.MapGet("/versions", ListVersionsAsync).WithName("ListVersions").WithSummary("Every version, newest first.");
        documents.MapGet("/versions/{version}/content", DownloadAsync).WithName("DownloadVersion").WithSummary("The exact bytes of one version.");
        documents.MapPost("/checkout", CheckOutAsync).WithName("CheckOut").WithSummary("Takes the exclusive edit lock.");
        documents.MapPost("/checkin", CheckInAsync).WithName("CheckIn")
            .WithSummary("Uploads the next minor version (multipart: file, comment) and releases the lock.")
            .Accepts<CheckInForm>("multipart/form-data").DisableAntiforgery().WithIdempotencyKey();
        documents.MapPost("/discard-checkout", DiscardCheckOutAsync).WithName("DiscardCheckOut").WithSummary("Releases the lock without a version (holder or admin).");
        documents.MapPost("/versions/{version}/restore", RestoreAsync).WithName("RestoreVersion").WithSummary("Makes an old version current as a new minor version.");
        documents.MapPost("/revise", ReviseAsync).WithName("ReviseDocument")
            .WithSummary("修订: copies a record that has left Draft to a new draft (version 0.1) linked by revisionOf; 201 with the new draft.");
        documents.MapGet("/revisions", ListRevisionsAsync).WithName("ListRevisions").WithSummary("The drafts made from this document by revise, oldest first.");
        return app;
    }

    private static Ok<IReadOnlyList<LibraryDto>> ListLibraries(ILibraryCatalog libraries) =>
        TypedResults.Ok<IReadOnlyList<LibraryDto>>(libraries.All.Select(l => l.ToDto()).ToList());

    private static async Task<Ok<DocumentListDto>> ListDocumentsAsync(
        string key, string? status, string? unitId, string? q, int? page, int? pageSize, string? sort, string? view,
        HttpContext context, QueryDocuments query, IApprovalTaskRepository tasks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await query.ListAsync(
            new ListDocumentsQuery(key, status, unitId, q, page, pageSize) { Spec = ListQueryString.Spec(context.Request.Query, sort), View = view },
            context.User.ToActor(), cancellationToken);
        return TypedResults.Ok(result.ToDto(await tasks.OverdueAsync(result.Items.Select(d => d.Id), clock, cancellationToken)));
    }

    private static async Task<Created<DocumentDto>> UploadAsync(string key, HttpRequest request, UploadDocument upload, CancellationToken cancellationToken)
    {
        var form = await MultipartForm.ReadAsync(request, cancellationToken);
        var file = form.Files.GetFile("file");
        await using var content = file?.OpenReadStream();
        var document = await upload.HandleAsync(
            new UploadDocumentCommand(key, form["title"].FirstOrDefault(), form["metadata"].FirstOrDefault(), file?.FileName, content),
            request.HttpContext.User.ToActor(),
            cancellationToken);
        return TypedResults.Created($"/api/documents/{document.Id}", document.ToDto());
    }

    private static async Task<Ok<DocumentDto>> GetAsync(
        Guid id, HttpContext context, QueryDocuments query, IApprovalTaskRepository tasks, Core.Incidents.QueryIncidents incidents,
        Organisation.PeopleNames people, TimeProvider clock, CancellationToken cancellationToken)
    {
        var document = await query.GetAsync(id, context.User.ToActor(), cancellationToken);
        var stopped = await incidents.ForDocumentAsync(id, cancellationToken);
        await people.LoadAsync(cancellationToken);
        return TypedResults.Ok(document.ToDto((await tasks.OverdueAsync([id], clock, cancellationToken)).Contains(id)) with
        {
            Incidents = stopped.Select(i => Incidents.IncidentEndpoints.ToDto(i, people)).ToList(),
        });
    }

    private static async Task<Ok<IReadOnlyList<VersionDto>>> ListVersionsAsync(Guid id, HttpContext context, QueryDocuments query, CancellationToken cancellationToken)
    {
        var document = await query.GetAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<VersionDto>>(document.Versions.OrderByDescending(v => v.Number).Select(v => v.ToDto()).ToList());
    }

    private static async Task<FileStreamHttpResult> DownloadAsync(Guid id, string version, HttpContext context, QueryDocuments query, CancellationToken cancellationToken)
    {
        var content = await query.OpenVersionAsync(id, version, context.User.ToActor(), cancellationToken);
        return StoredContent(content.Content, content.Version.ContentType, content.Version.FileName, content.Version.ContentHash);
    }

    /// <summary>
    /// Stored bytes as an answer: pictures and PDF inline (they open in the browser), anything else as a download under its
    /// name; the SHA-256 is the entity tag, and ranges are served (nosniff comes with every answer, see SecurityHeaders).
    /// </summary>
    public static FileStreamHttpResult StoredContent(Stream content, string contentType, string fileName, string sha256)
    {
        var inline = contentType.StartsWith("image/", StringComparison.Ordinal) || contentType == "application/pdf";
        return TypedResults.Stream(content, contentType, fileDownloadName: inline ? null : fileName,
            entityTag: new EntityTagHeaderValue($"\"{sha256}\""), enableRangeProcessing: true);
    }

    private static async Task<Ok<DocumentDto>> CheckOutAsync(Guid id, HttpContext context, ChangeDocument change, CancellationToken cancellationToken) =>
        TypedResults.Ok((await change.CheckOutAsync(id, context.User.ToActor(), cancellationToken)).ToDto());

    private static async Task<Ok<DocumentDto>> CheckInAsync(Guid id, HttpRequest request, ChangeDocument change, CancellationToken cancellationToken)
    {
        var form = await MultipartForm.ReadAsync(request, cancellationToken);
        var file = form.Files.GetFile("file");
        await using var content = file?.OpenReadStream();
        var document = await change.CheckInAsync(
            new CheckInCommand(id, file?.FileName, content, form["comment"].FirstOrDefault()),
            request.HttpContext.User.ToActor(),
            cancellationToken);
        return TypedResults.Ok(document.ToDto());
    }

    private static async Task<Ok<DocumentDto>> DiscardCheckOutAsync(Guid id, HttpContext context, ChangeDocument change, CancellationToken cancellationToken) =>
        TypedResults.Ok((await change.DiscardCheckOutAsync(id, context.User.ToActor(), cancellationToken)).ToDto());

    private static async Task<Ok<DocumentDto>> RestoreAsync(Guid id, string version, HttpContext context, ChangeDocument change, CancellationToken cancellationToken) =>
        TypedResults.Ok((await change.RestoreAsync(id, version, context.User.ToActor(), cancellationToken)).ToDto());

    private static async Task<Created<DocumentDto>> ReviseAsync(Guid id, HttpContext context, ReviseDocument revise, CancellationToken cancellationToken)
    {
        var revision = await revise.HandleAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Created($"/api/documents/{revision.Id}", revision.ToDto());
    }

    private static async Task<Ok<IReadOnlyList<DocumentDto>>> ListRevisionsAsync(Guid id, HttpContext context, QueryDocuments query, CancellationToken cancellationToken)
    {
        var revisions = await query.ListRevisionsAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DocumentDto>>(revisions.Select(r => r.ToDto()).ToList());
    }

    /// <summary>The multipart fields of an upload, for the OpenAPI document.</summary>
    public sealed record UploadForm(IFormFile File, string Metadata, string? Title);

    /// <summary>The multipart fields of a check-in, for the OpenAPI document.</summary>
    public sealed record CheckInForm(IFormFile File, string? Comment);
}

/// <summary>Reads a multipart form with errors that name the problem instead of a bare 400 or a 500.</summary>
internal static class MultipartForm
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken, string field = "file")
    {
        if (!request.HasFormContentType)
        {
            throw new InputValidationException(field, $"请求必须是 multipart/form-data (the request must be multipart/form-data with a '{field}' part).");
        }

        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && ex is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // A boundary over 70 characters, a part without headers, or a body that ends before the closing boundary.
            throw new InputValidationException(field, $"表单无法读取 (the multipart form could not be read: {ex.Message}).");
        }
    }
}
