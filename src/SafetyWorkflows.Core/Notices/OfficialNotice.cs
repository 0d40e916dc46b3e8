namespace SafetyWorkflows.Core.Notices;

/// <summary>
/// An issued official notice: its 文号, the PDF stored as a file of its own (content-addressed, <see cref="Sha256"/>), the
/// detached PKCS#7 signature over those bytes, and the code its QR links to. Issued once per document and kind; never changed.
/// </summary>
public sealed class OfficialNotice
{
    private OfficialNotice()
    {
    }

    public OfficialNotice(
        Guid documentId, string kind, int year, int sequence, string number, string verificationCode, string title,
        string documentTitle, string documentVersion, string issuedBy, DateTimeOffset issuedAt)
    {
        Id = Guid.NewGuid();
        DocumentId = documentId;
        Kind = kind;
        Year = year;
        Sequence = sequence;
        Number = number;
        VerificationCode = verificationCode;
        Title = title;
        DocumentTitle = documentTitle;
        DocumentVersion = documentVersion;
        IssuedBy = issuedBy;
        IssuedAt = issuedAt;
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    /// <summary>A <see cref="NoticeKinds"/> key.</summary>
    public string Kind { get; private set; } = "";

    public int Year { get; private set; }

    /// <summary>The n of the 文号: gap-free per kind and year.</summary>
    public int Sequence { get; private set; }

    /// <summary>文号, <c>&lt;机关代字&gt;〔&lt;year&gt;〕&lt;n&gt;号</c>.</summary>
    public string Number { get; private set; } = "";

    /// <summary>The code of <c>/verify/{code}</c> (random, unguessable).</summary>
    public string VerificationCode { get; private set; } = "";

    /// <summary>The notice's own title (责令限期整改指令书 …).</summary>
    public string Title { get; private set; } = "";

    public string DocumentTitle { get; private set; } = "";

    /// <summary>The document version the notice was made from (e.g. 1.0).</summary>
    public string DocumentVersion { get; private set; } = "";

    public string Sha256 { get; private set; } = "";

    public long Length { get; private set; }

    /// <summary>The detached PKCS#7 (CMS) signature over the PDF's bytes, DER.</summary>
    public byte[] Signature { get; private set; } = [];

    /// <summary><c>Rsa</c> or <c>Sm2</c>.</summary>
    public string SignatureAlgorithm { get; private set; } = "";

    public string IssuedBy { get; private set; } = "";

    public DateTimeOffset IssuedAt { get; private set; }

    public string FileName => $"{Number}{Title}.pdf";

    public void AttachFile(string sha256, long length, byte[] signature, string algorithm)
    {
        Sha256 = sha256;
        Length = length;
        Signature = signature;
        SignatureAlgorithm = algorithm;
    }

    public static string FormatNumber(string agencyCode, int year, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{agencyCode}〔{year}〕{sequence}号");
}

/// <summary>The last 文号 n given per kind and year; the row is the concurrency token that keeps numbers gap-free.</summary>
public sealed class NoticeCounter
{
    private NoticeCounter()
    {
    }

    public NoticeCounter(string kind, int year)
    {
        Kind = kind;
        Year = year;
    }

    public string Kind { get; private set; } = "";

    public int Year { get; private set; }

    public int LastNumber { get; private set; }

    public int Next() => ++LastNumber;
}

/// <summary>An official's handwritten signature (PNG or JPEG), stamped on the notices of their approve and sign decisions.</summary>
public sealed class SignatureImage
{
    private SignatureImage()
    {
    }

    public SignatureImage(string userName, string contentType, byte[] content, DateTimeOffset uploadedAt)
    {
        UserName = userName;
        Replace(contentType, content, uploadedAt);
    }

    public string UserName { get; private set; } = "";

    public string ContentType { get; private set; } = "";

    public byte[] Content { get; private set; } = [];

    public DateTimeOffset UploadedAt { get; private set; }

    public void Replace(string contentType, byte[] content, DateTimeOffset uploadedAt)
    {
        ContentType = contentType;
        Content = content;
        UploadedAt = uploadedAt;
    }
}
