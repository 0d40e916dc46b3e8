using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Storage;

namespace SafetyWorkflows.Core.Documents;

/// <summary>A file checked against <see cref="FileRules"/> and staged in the store, not yet committed.</summary>
public sealed class CheckedFile(IStagedFile staged, StoredFile file) : IAsyncDisposable
{
    public StoredFile File { get; } = file;

    public Task CommitAsync(CancellationToken cancellationToken) => staged.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => staged.DisposeAsync();
}

/// <summary>Takes a file from a client: name rules, size limit, content sniffing; shared by upload and check-in.</summary>
public sealed class IncomingFiles(IFileStore store, IOptions<StorageOptions> options)
{
    public async Task<CheckedFile> StageAsync(string? clientFileName, Stream? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            throw new InputValidationException(FileRules.Field, "缺少文件 (a file is required).");
        }

        var fileName = FileRules.SanitizeFileName(clientFileName);
        var contentType = FileRules.ContentTypeFor(fileName);
        var staged = await store.StageAsync(content, options.Value.MaxUploadBytes, cancellationToken);
        try
        {
            if (staged.Length == 0)
            {
                throw new InputValidationException(FileRules.Field, "文件为空 (the file is empty).");
            }

            await using (var read = staged.OpenRead())
            {
                FileRules.EnsureContentMatches(fileName, read);
            }

            return new CheckedFile(staged, new StoredFile(staged.Sha256, fileName, contentType, staged.Length));
        }
        catch
        {
            await staged.DisposeAsync();
            throw;
        }
    }
}
