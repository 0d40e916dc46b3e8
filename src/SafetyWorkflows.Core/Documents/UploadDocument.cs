using System.Text.Json;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

public sealed record UploadDocumentCommand(string LibraryKey, string? Title, string? MetadataJson, string? FileName, Stream? Content);

/// <summary>Upload: validate everything first, then store the bytes, then the document (version 0.1, Draft) and its audit entry.</summary>
public sealed class UploadDocument(
    IDocumentRepository documents,
    IAuditLog audit,
    IncomingFiles incomingFiles,
    MetadataValidator metadataValidator,
    ILibraryCatalog libraries,
    TimeProvider clock,
    IServiceProvider services)
{
    public async Task<Document> HandleAsync(UploadDocumentCommand command, Actor actor, CancellationToken cancellationToken)
    {
        var library = libraries.Get(command.LibraryKey);
        var metadata = await metadataValidator.ValidateAsync(library, command.MetadataJson, cancellationToken);
        var unitId = metadata[library.UnitColumn]!.GetValue<string>();
        DocumentAccess.EnsureCanUpload(actor, unitId, library.Key);

        var title = command.Title?.Trim();
        if (title is { Length: > 200 })
        {
            throw new InputValidationException("title", "标题不能超过 200 字 (title is longer than 200 characters).");
        }

        await using var staged = await incomingFiles.StageAsync(command.FileName, command.Content, cancellationToken);
        title = string.IsNullOrEmpty(title) ? Path.GetFileNameWithoutExtension(staged.File.FileName) : title;

        var now = clock.GetUtcNow();
        var document = Document.Upload(library, title, unitId, metadata.ToJsonString(JsonDefaults.Compact), staged.File, actor.UserName, now);
        await staged.CommitAsync(cancellationToken);
        documents.Add(document);
        audit.Append(new AuditEntry(now, actor.UserName, AuditActions.Upload, document.Id, document.CurrentVersion.ToString(),
            $"上传《{document.Title}》到{library.Name}（文件 {staged.File.FileName}，{staged.File.Length} 字节，校验值 {staged.File.Sha256}）"));
        await documents.SaveChangesAsync(cancellationToken);
        if (library.Key == Libraries.MeetingMinutes)
        {
            // Resolved here, not injected: the meeting task's decision pulls in the whole workflow runtime.
            await ((Records.MeetingTasks)services.GetService(typeof(Records.MeetingTasks))!).CompleteAsync(document, actor, cancellationToken);
        }

        return document;
    }
}

public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
