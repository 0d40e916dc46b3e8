using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.TaskLink;

/// <summary>
/// <c>/t/{token}</c>: one task opened by its signed link, without a password (a unit principal or village head on a phone):
/// read the document, sign, refuse with a reason, upload evidence and submit. Every open and every action is a use of the
/// link, let in or refused by <see cref="TaskLinks"/> and audited with the client's address and browser.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(TaskLinks links, DecideTask decide, AttachTaskFile attach, ITaskAttachmentRepository attachments,
    IDocumentRepository documents, ILibraryCatalog catalog, QueryDocuments query, Organisation.PeopleNames people) : PageModel
{
    public ApprovalTask? Task { get; private set; }

    public Document? Document { get; private set; }

    public Library? Library { get; private set; }

    public System.Text.Json.Nodes.JsonObject Metadata { get; private set; } = [];

    public IReadOnlyList<TaskAttachment> Evidence { get; private set; } = [];

    public IReadOnlyList<string> Allowed { get; private set; } = [];

    public string Token { get; private set; } = "";

    public string PersonName { get; private set; } = "";

    public LinkRefusal? Refusal { get; private set; }

    /// <summary>What was just done (signed, refused, submitted): the link has served its task.</summary>
    public string? Done { get; private set; }

    public string? Message { get; private set; }

    public bool Uploaded { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, bool uploaded, CancellationToken cancellationToken)
    {
        Uploaded = uploaded;
        return await WithLinkAsync(token, null, "打开任务", _ => System.Threading.Tasks.Task.FromResult<IActionResult?>(null), cancellationToken);
    }

    /// <summary>The document itself (the current version's bytes), for the person to read before they sign.</summary>
    public async Task<IActionResult> OnGetFileAsync(string token, CancellationToken cancellationToken)
    {
        return await WithLinkAsync(token, null, "查看文档", async opened =>
        {
            if (opened.Task.DocumentId is not { } id || Document is null)
            {
                return NotFound();
            }

            var content = await query.OpenVersionAsync(id, Document.CurrentVersion.ToString(), opened.Actor, cancellationToken);
            return new FileStreamResult(content.Content, content.Version.ContentType);
        }, cancellationToken);
    }

    public async Task<IActionResult> OnPostDecideAsync(string token, Guid taskId, string? action, string? opinion, string? commandId, CancellationToken cancellationToken)
    {
        var purpose = action switch { "sign" => "签字", "refuse" => "拒签", "submit" => "报送", _ => action ?? "?" };
        return await WithLinkAsync(token, taskId, purpose, async opened =>
        {
            try
            {
                await decide.HandleAsync(opened.Task.Id, new DecisionCommand(commandId, action, null, opinion, null, null), opened.Actor, cancellationToken);
                Done = action;
                return null;
            }
            catch (InputValidationException ex)
            {
                Message = UiText.Message(ex.Message);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return null;
            }
        }, cancellationToken);
    }

    public async Task<IActionResult> OnPostAttachAsync(string token, Guid taskId, string? label, IFormFile? file, CancellationToken cancellationToken)
    {
        return await WithLinkAsync(token, taskId, "上传材料", async opened =>
        {
            try
            {
                await using var content = file?.OpenReadStream();
                await attach.HandleAsync(opened.Task.Id, file?.FileName, content, opened.Actor, cancellationToken, label);
                return Redirect($"{TaskLinks.PathPrefix}{token}?uploaded=true");
            }
            catch (InputValidationException ex)
            {
                Message = UiText.Message(ex.Message);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return null;
            }
        }, cancellationToken);
    }

    private async Task<IActionResult> WithLinkAsync(
        string token, Guid? taskId, string purpose, Func<OpenedLink, Task<IActionResult?>> act, CancellationToken cancellationToken)
    {
        Token = token;
        Response.Headers.CacheControl = "no-store";
        var client = new LinkClient(HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString());
        OpenedLink opened;
        try
        {
            opened = await links.OpenAsync(token, taskId, purpose, client, cancellationToken);
        }
        catch (TaskLinkRefusedException ex)
        {
            Refusal = ex.Reason;
            Response.StatusCode = ex.Reason == LinkRefusal.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
            return Page();
        }

        PersonName = opened.Actor.DisplayName;
        await people.LoadAsync(cancellationToken); // the page names units and people as a signed-in page does
        Document = opened.Task.DocumentId is { } id ? await documents.FindAsync(id, cancellationToken) : null;
        Library = Document is null ? null : catalog.Find(Document.LibraryKey);
        Metadata = Document is null ? [] : System.Text.Json.Nodes.JsonNode.Parse(Document.MetadataJson) as System.Text.Json.Nodes.JsonObject ?? [];
        var result = await act(opened);
        if (result is not null)
        {
            return result;
        }

        Task = opened.Task;
        Allowed = Done is null ? DecideTask.AllowedActions(opened.Task).Where(a => a is "sign" or "refuse" or "submit" or "approve" or "reject").ToList() : [];
        Evidence = await attachments.ListAsync(opened.Task.Id, cancellationToken);
        return Page();
    }
}
