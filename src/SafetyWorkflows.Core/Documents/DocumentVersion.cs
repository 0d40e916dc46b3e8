namespace SafetyWorkflows.Core.Documents;

/// <summary>One immutable version of a document. Its bytes live in the file store under <see cref="ContentHash"/>.</summary>
public sealed class DocumentVersion
{
    private DocumentVersion()
    {
    }

    internal DocumentVersion(Guid documentId, VersionNumber number, StoredFile file, string? comment, string createdBy, DateTimeOffset createdAt)
    {
        Id = Guid.NewGuid();
        DocumentId = documentId;
        Major = number.Major;
        Minor = number.Minor;
        ContentHash = file.Sha256;
        FileName = file.FileName;
        ContentType = file.ContentType;
        Length = file.Length;
        Comment = comment;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public int Major { get; private set; }

    public int Minor { get; private set; }

    public string ContentHash { get; private set; } = "";

    public string FileName { get; private set; } = "";

    public string ContentType { get; private set; } = "";

    public long Length { get; private set; }

    public string? Comment { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public VersionNumber Number => new(Major, Minor);

    public StoredFile File => new(ContentHash, FileName, ContentType, Length);
}
