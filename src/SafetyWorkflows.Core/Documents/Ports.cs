using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Documents;

/// <summary>The content-addressed file store. Bytes are staged first, checked, then committed under their SHA-256.</summary>
public interface IFileStore
{
    /// <summary>Copies the content to a staging file, hashing it, and refuses it (with <see cref="InputValidationException"/>) when it exceeds <paramref name="maxBytes"/>.</summary>
    Task<IStagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Opens committed content for reading, or returns null if the store has no such hash.</summary>
    Stream? OpenRead(string sha256);
}

public interface IStagedFile : IAsyncDisposable
{
    string Sha256 { get; }

    long Length { get; }

    Stream OpenRead();

    /// <summary>Moves the staged bytes into the store (a no-op when the same content is already there).</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

public sealed record DocumentQuery(
    string LibraryKey,
    DocumentStatus? Status,
    string? UnitId,
    string? Text,
    Paging Paging,
    string? VisibleUnitId,
    bool VisibleToAll)
{
    /// <summary>A stage key (<see cref="DocumentStages"/>): documents whose chain set it, or whose status means it.</summary>
    public string? Stage { get; init; }

    /// <summary>Metadata column filters, all of which a document must match.</summary>
    public IReadOnlyList<FieldFilter> Fields { get; init; } = [];

    public DocumentSort Sort { get; init; } = new(SortSource.UpdatedAt, null, true, false);

    /// <summary>Only documents with an open task past its deadline at this moment (逾期).</summary>
    public DateTimeOffset? OverdueAt { get; init; }

    /// <summary>Only documents this person drafted, submitted, was assigned or decided on (我经办的).</summary>
    public string? InvolvedUser { get; init; }

    /// <summary>No paging: every matching document, streamed in order (exports).</summary>
    public bool All { get; init; }
}

public sealed record DocumentHeader(Guid Id, string Title, string LibraryKey, string UnitId);

/// <summary>Documents and their versions. <see cref="SaveChangesAsync"/> commits the aggregate together with the audit
/// entries appended in the same unit of work.</summary>
public interface IDocumentRepository
{
    Task<Document?> FindAsync(Guid id, CancellationToken cancellationToken);

    void Add(Document document);

    /// <summary>The documents of one library and unit in one status, tracked (records that update a plan read them).</summary>
    Task<IReadOnlyList<Document>> ListOfUnitAsync(string libraryKey, string unitId, DocumentStatus status, CancellationToken cancellationToken);

    Task<PagedResult<Document>> ListAsync(DocumentQuery query, CancellationToken cancellationToken);

    /// <summary>Every document the query matches, in its order, without holding them all (exports).</summary>
    IAsyncEnumerable<Document> StreamAsync(DocumentQuery query, CancellationToken cancellationToken);

    /// <summary>Title, library and unit of several documents in one query (for lists that show them beside something else).</summary>
    Task<IReadOnlyDictionary<Guid, DocumentHeader>> HeadersAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken);

    /// <summary>The drafts made from a record by 修订 (<see cref="Document.RevisionOfId"/>), oldest first, without their versions.</summary>
    Task<IReadOnlyList<Document>> ListRevisionsAsync(Guid id, CancellationToken cancellationToken);

    Task SaveChangesAsync(CancellationToken cancellationToken);
}
