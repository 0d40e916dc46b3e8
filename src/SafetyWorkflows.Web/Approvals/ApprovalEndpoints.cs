using SafetyWorkflows.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Documents;

namespace SafetyWorkflows.Web.Approvals;

public sealed record SubmitResponse(DocumentDto Document, string WorkflowInstanceId);

public sealed record TaskDto(
    Guid Id,
    Guid? DocumentId,
    string? DocumentTitle,
    string? Library,
    string Step,
    string Kind,
    string Assignee,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    string? DueNote,
    string? AssignmentNote,
    IReadOnlyList<string> AllowedActions,
    IReadOnlyList<string> CustomOutcomes,
    string? Action,
    string? Outcome,
    string? Opinion,
    DateTimeOffset? ClosedAt);

public sealed record TaskListDto(IReadOnlyList<TaskDto> Items, int TotalCount, int Page, int PageSize);

public sealed record TaskDetailDto(TaskDto Task, DocumentDto? Document);

/// <summary>An evidence file: <c>label</c> is plan, before, after or other; <c>contentUrl</c> opens it inline.</summary>
public sealed record AttachmentDto(
    Guid Id, Guid TaskId, string FileName, string ContentType, long Length, string Sha256, string UploadedBy, DateTimeOffset UploadedAt, string Label, string? ContentUrl);

public sealed record TrailStepDto(string Step, string Kind, string Assignee, string Status, string? Action, string? Outcome, string? Opinion, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt);

public static class ApprovalEndpoints
{
    public static IEndpointRouteBuilder MapApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/documents/{id:guid}/submit", SubmitAsync).WithName("SubmitDocument").WithTags("Approvals")
            .WithSummary("Submits the document: it goes Pending and its library's approval chain starts.");
        app.MapPost("/api/documents/{id:guid}/withdraw", WithdrawAsync).WithName("WithdrawDocument").WithTags("Approvals")
            .WithSummary("撤回: the submitter takes a Pending document back while nobody has acted on it.");
        app.MapGet("/api/documents/{id:guid}/trail", TrailAsync).WithName("DocumentTrail").WithTags("Approvals")
            .WithSummary("流程轨迹: each step, who, when, decision and opinion.");
        var tasks = app.MapGroup("/api/tasks").WithTags("Approvals");
        tasks.MapGet("/", ListAsync).WithName("ListTasks").WithSummary("The caller's tasks: state=open (待办) or done (已办).");
        tasks.MapGet("/{id:guid}", GetAsync).WithName("GetTask")
            .WithSummary("A task with its document; allowedActions are the caller's (empty on a task the caller may see but not act on).");
        tasks.MapPost("/{id:guid}/files", AttachAsync).WithName("AttachTaskFile").DisableAntiforgery().WithIdempotencyKey()
            .WithSummary("Attaches an evidence file (multipart 'file', optional 'label': plan, before, after or other) to an open task before it is submitted.")
            .Accepts<DocumentEndpoints.CheckInForm>("multipart/form-data");
        tasks.MapGet("/{id:guid}/files", ListFilesAsync).WithName("ListTaskFiles").WithSummary("The files attached to a task.");
        tasks.MapGet("/{id:guid}/files/{fileId:guid}/content", OpenTaskFileAsync).WithName("OpenTaskFile")
            .WithSummary("The bytes of one file attached to a task (e.g. the computed sheet of a quarterly statistics task).");
        app.MapGet("/api/documents/{id:guid}/evidence", ListEvidenceAsync).WithName("ListEvidence").WithTags("Approvals")
            .WithSummary("Every evidence file submitted on the document's tasks, with its label (plan, before, after, other).");
        app.MapGet("/api/documents/{id:guid}/evidence/{fileId:guid}/content", OpenEvidenceAsync).WithName("OpenEvidence").WithTags("Approvals")
            .WithSummary("The bytes of one evidence file, inline for images and PDF.");
        tasks.MapPost("/{id:guid}/decisions", DecideAsync).WithName("DecideTask")
            .WithSummary("Decides a task {commandId, action, outcome?, opinion?, toUserName?, toStep?}; a closed task answers 409.");
        return app;
    }

    private static async Task<Ok<SubmitResponse>> SubmitAsync(Guid id, HttpContext context, SubmitDocument submit, CancellationToken cancellationToken)
    {
        var (document, instanceId) = await submit.HandleAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok(new SubmitResponse(document.ToDto(), instanceId));
    }

    private static async Task<Ok<DocumentDto>> WithdrawAsync(Guid id, HttpContext context, WithdrawDocument withdraw, CancellationToken cancellationToken) =>
        TypedResults.Ok((await withdraw.HandleAsync(id, context.User.ToActor(), cancellationToken)).ToDto());

    private static async Task<Ok<IReadOnlyList<TrailStepDto>>> TrailAsync(Guid id, HttpContext context, TaskLoader loader, IApprovalTaskRepository tasks, CancellationToken cancellationToken)
    {
        await loader.LoadFollowableAsync(id, context.User.ToActor(), cancellationToken);
        var steps = await tasks.ListForDocumentAsync(id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<TrailStepDto>>(steps.Select(t => new TrailStepDto(
            t.Step, t.Kind.ToString(), t.Assignee, t.Status.ToString(), t.Action, t.Outcome, t.Opinion, t.CreatedAt, t.ClosedAt)).ToList());
    }

    private static async Task<Ok<TaskListDto>> ListAsync(
        string? state, string? library, int? page, int? pageSize, HttpContext context, IApprovalTaskRepository tasks, IDocumentRepository documents, ILibraryCatalog libraries,
        CancellationToken cancellationToken)
    {
        var open = state switch
        {
            null or "" or "open" => true,
            "done" => false,
            _ => throw new InputValidationException("state", "state must be open or done"),
        };
        if (library is not null)
        {
            libraries.Get(library);
        }

        var paging = Paging.Create(page, pageSize);
        var actor = context.User.ToActor();
        var (items, total) = await tasks.ListForAssigneeAsync(actor.UserName, open, library, paging.Skip, paging.PageSize, cancellationToken);
        var headers = await documents.HeadersAsync(items.Where(t => t.DocumentId is not null).Select(t => t.DocumentId!.Value), cancellationToken);
        var dtos = items.Select(t => ToDto(t, t.DocumentId is { } id ? headers.GetValueOrDefault(id) : null, actor)).ToList();
        return TypedResults.Ok(new TaskListDto(dtos, total, paging.Page, paging.PageSize));
    }

    private static async Task<Ok<TaskDetailDto>> GetAsync(
        Guid id, HttpContext context, TaskLoader loader, IApprovalTaskRepository tasks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        var (task, document) = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        var header = document is null ? null : new DocumentHeader(document.Id, document.Title, document.LibraryKey, document.UnitId);
        var overdue = document is not null && (await tasks.OverdueAsync([document.Id], clock, cancellationToken)).Contains(document.Id);
        return TypedResults.Ok(new TaskDetailDto(ToDto(task, header, actor), document?.ToDto(overdue)));
    }

    private static async Task<Created<AttachmentDto>> AttachAsync(Guid id, HttpRequest request, AttachTaskFile attach, IApprovalTaskRepository tasks, CancellationToken cancellationToken)
    {
        var form = await MultipartForm.ReadAsync(request, cancellationToken);
        var file = form.Files.GetFile("file");
        await using var content = file?.OpenReadStream();
        var attachment = await attach.HandleAsync(id, file?.FileName, content, request.HttpContext.User.ToActor(), cancellationToken, form["label"].FirstOrDefault());
        var task = await tasks.FindAsync(id, cancellationToken);
        return TypedResults.Created($"/api/tasks/{id}/files", ToDto(attachment, task?.DocumentId));
    }

    private static async Task<Ok<IReadOnlyList<AttachmentDto>>> ListFilesAsync(
        Guid id, HttpContext context, TaskLoader loader, ITaskAttachmentRepository attachments, CancellationToken cancellationToken)
    {
        var (task, _) = await loader.LoadVisibleAsync(id, context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AttachmentDto>>((await attachments.ListAsync(id, cancellationToken)).Select(a => ToDto(a, task.DocumentId)).ToList());
    }

    private static async Task<Ok<IReadOnlyList<AttachmentDto>>> ListEvidenceAsync(Guid id, HttpContext context, ReadEvidence evidence, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<AttachmentDto>>((await evidence.ListAsync(id, context.User.ToActor(), cancellationToken)).Select(a => ToDto(a, id)).ToList());

    private static async Task<FileStreamHttpResult> OpenTaskFileAsync(Guid id, Guid fileId, HttpContext context, ReadEvidence evidence, CancellationToken cancellationToken)
    {
        var opened = await evidence.OpenForTaskAsync(id, fileId, context.User.ToActor(), cancellationToken);
        return TypedResults.File(opened.Content, opened.Attachment.ContentType, opened.Attachment.FileName, enableRangeProcessing: true);
    }

    public static string TaskFileUrl(Guid taskId, Guid fileId) => $"/api/tasks/{taskId}/files/{fileId}/content";

    private static async Task<FileStreamHttpResult> OpenEvidenceAsync(Guid id, Guid fileId, HttpContext context, ReadEvidence evidence, CancellationToken cancellationToken)
    {
        var opened = await evidence.OpenAsync(id, fileId, context.User.ToActor(), cancellationToken);
        return DocumentEndpoints.StoredContent(opened.Content, opened.Attachment.ContentType, opened.Attachment.FileName, opened.Attachment.Sha256);
    }

    public static string EvidenceUrl(Guid documentId, Guid fileId) => $"/api/documents/{documentId}/evidence/{fileId}/content";

    private static AttachmentDto ToDto(TaskAttachment a, Guid? documentId) => new(
        a.Id, a.TaskId, a.FileName, a.ContentType, a.Length, a.Sha256, a.UploadedBy, a.UploadedAt, a.Label, documentId is { } d ? EvidenceUrl(d, a.Id) : null);

    private static async Task<Ok<DecisionResult>> DecideAsync(Guid id, DecisionCommand command, HttpContext context, DecideTask decide, CancellationToken cancellationToken) =>
        TypedResults.Ok(await decide.HandleAsync(id, command, context.User.ToActor(), cancellationToken));

    /// <summary>A task as <paramref name="caller"/> sees it: the actions are those the caller may take (none on someone else's task).</summary>
    private static TaskDto ToDto(ApprovalTask task, DocumentHeader? document, Core.Organisation.Actor caller) => new(
        task.Id, task.DocumentId, document?.Title, document?.LibraryKey ?? task.LibraryKey, task.Step, task.Kind.ToString(), task.Assignee, task.Status.ToString(),
        task.CreatedAt, task.DueAt, task.DueNote, task.AssignmentNote, TaskAccess.CanAct(caller, task) ? DecideTask.AllowedActions(task) : [],
        task.CustomOutcomes, task.Action, task.Outcome, task.Opinion, task.ClosedAt);
}
