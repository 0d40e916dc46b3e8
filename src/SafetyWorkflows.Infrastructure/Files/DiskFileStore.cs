using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Storage;

namespace SafetyWorkflows.Infrastructure.Files;

/// <summary>
/// Content-addressed files under <c>{DataDirectory}/files/ab/cd/abcd…</c> (SHA-256, upper-case hex). Content is written to
/// <c>files/.staging</c> first and moved into place only on commit, so a refused upload leaves nothing behind and a
/// stored file never changes.
/// </summary>
internal sealed class DiskFileStore : IFileStore
{
    private readonly string _root;
    private readonly string _staging;

    public DiskFileStore(IOptions<StorageOptions> options)
    {
        _root = Path.Combine(options.Value.ResolveDataDirectory(), "files");
        _staging = Path.Combine(_root, ".staging");
        Directory.CreateDirectory(_staging);
    }

    public async Task<IStagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_staging, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long length = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        throw new InputValidationException(FileRules.Field,
                            $"文件超过大小上限 {maxBytes / 1024 / 1024.0:0.#} MB (the file is larger than the limit of {maxBytes} bytes).");
                    }

                    sha.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new StagedFile(this, path, Convert.ToHexString(sha.GetHashAndReset()), length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Stream? OpenRead(string sha256)
    {
        var path = PathFor(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    private string PathFor(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not a SHA-256 hex string.", nameof(sha256));
        }

        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }

    private sealed class StagedFile(DiskFileStore store, string path, string sha256, long length) : IStagedFile
    {
        public string Sha256 { get; } = sha256;

        public long Length { get; } = length;

        public Stream OpenRead() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            var target = store.PathFor(Sha256);
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    File.Move(path, target);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Someone stored the same bytes at the same moment: content addressing makes theirs ours.
                }
            }

            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return ValueTask.CompletedTask;
        }
    }
}
