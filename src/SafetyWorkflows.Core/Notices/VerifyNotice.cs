using System.Security.Cryptography;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Notices;

/// <summary>What <c>/verify/{code}</c> shows: the notice's title, 文号, version and SHA-256, whether the stored file is still
/// the issued one, and whether its signature is valid. Nothing else about the document.</summary>
public sealed record NoticeVerification(
    string Title, string Number, string DocumentTitle, string DocumentVersion, string Sha256, DateTimeOffset IssuedAt,
    bool FileUnchanged, bool FileMissing, bool SignatureValid, string SignatureAlgorithm);

public sealed class VerifyNotice(INoticeRepository notices, IFileStore files, INoticeSigner signer)
{
    /// <summary>Null for an unknown code.</summary>
    public async Task<NoticeVerification?> VerifyAsync(string code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64)
        {
            return null;
        }

        var notice = await notices.FindByCodeAsync(code.Trim().ToUpperInvariant(), cancellationToken);
        if (notice is null)
        {
            return null;
        }

        byte[]? bytes = null;
        await using (var stream = files.OpenRead(notice.Sha256))
        {
            if (stream is not null)
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                bytes = copy.ToArray();
            }
        }

        var unchanged = bytes is not null && string.Equals(Convert.ToHexString(SHA256.HashData(bytes)), notice.Sha256, StringComparison.OrdinalIgnoreCase);
        var signatureValid = bytes is not null && signer.Verify(bytes, notice.Signature);
        return new NoticeVerification(notice.Title, notice.Number, notice.DocumentTitle, notice.DocumentVersion, notice.Sha256,
            notice.IssuedAt, unchanged, bytes is null, signatureValid, notice.SignatureAlgorithm);
    }
}
