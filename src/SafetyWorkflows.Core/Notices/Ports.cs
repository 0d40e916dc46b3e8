using SafetyWorkflows.Core.Audit;

namespace SafetyWorkflows.Core.Notices;

/// <summary>Lays a notice out as an A4 PDF (red header, body, signature blocks, page numbers, the verification QR code).</summary>
public interface INoticeRenderer
{
    byte[] Render(NoticeContent content);

    /// <summary>Whether the bytes are a picture the renderer can stamp (a signature image).</summary>
    bool CanEmbedImage(byte[] image);
}

/// <summary>The installation's signing key: detached PKCS#7 signatures over a notice's bytes, and their verification.</summary>
public interface INoticeSigner
{
    SigningAlgorithm Algorithm { get; }

    byte[] Sign(byte[] content);

    /// <summary>True when <paramref name="signature"/> is a valid detached signature of <paramref name="content"/> by this installation's certificate.</summary>
    bool Verify(byte[] content, byte[] signature);
}

/// <summary>Where <c>/verify/{code}</c> is reached from outside (the QR code's link).</summary>
public interface INoticeLinks
{
    string VerifyUrl(string code);
}

public interface INoticeRepository
{
    Task<OfficialNotice?> FindAsync(Guid documentId, string kind, CancellationToken cancellationToken);

    Task<OfficialNotice?> FindByCodeAsync(string code, CancellationToken cancellationToken);

    Task<IReadOnlyList<OfficialNotice>> ListAsync(Guid documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the next 文号 n of (kind, year), lets <paramref name="build"/> make the notice with it, and stores the counter,
    /// the notice and its audit entry in one save: a number is used exactly when its notice is stored (no gaps), and two
    /// issues at once (on any node) get consecutive numbers. When the same document and kind were issued meanwhile, that
    /// notice is returned instead.
    /// </summary>
    Task<OfficialNotice> IssueAsync(
        string kind, int year, Guid documentId, Func<int, CancellationToken, Task<(OfficialNotice Notice, AuditEntry Audit)>> build,
        CancellationToken cancellationToken);
}

public interface ISignatureImageRepository
{
    Task<SignatureImage?> FindAsync(string userName, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, byte[]>> ContentOfAsync(IEnumerable<string> userNames, CancellationToken cancellationToken);

    /// <summary>Stores (adds or replaces) the image with the audit entry.</summary>
    Task SaveAsync(string userName, string contentType, byte[] content, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string userName, AuditEntry audit, CancellationToken cancellationToken);
}
