using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Documents;

/// <summary>
/// A document in a library: its metadata, its versions, its check-out lock and its approval status. Every change goes
/// through an intention-named method that checks the current state; the legal status moves are in <see cref="Transitions"/>.
/// </summary>
public sealed class Document
{
    /// <summary>The whole state machine in one place: from a status, the statuses a method may move to.</summary>
    public static readonly IReadOnlyDictionary<DocumentStatus, DocumentStatus[]> Transitions = new Dictionary<DocumentStatus, DocumentStatus[]>
    {
        [DocumentStatus.Draft] = [DocumentStatus.Pending, DocumentStatus.Archived],
        [DocumentStatus.Pending] = [DocumentStatus.Approved, DocumentStatus.Rejected, DocumentStatus.Draft, DocumentStatus.Published, DocumentStatus.Signed, DocumentStatus.Closed],
        [DocumentStatus.Rejected] = [DocumentStatus.Pending, DocumentStatus.Draft, DocumentStatus.Archived],
        [DocumentStatus.Approved] = [DocumentStatus.Published, DocumentStatus.Signed, DocumentStatus.Rejected, DocumentStatus.Pending, DocumentStatus.Closed],
        [DocumentStatus.Published] = [DocumentStatus.Signed, DocumentStatus.Pending, DocumentStatus.Draft, DocumentStatus.Closed, DocumentStatus.Archived],
        [DocumentStatus.Signed] = [DocumentStatus.Closed, DocumentStatus.Pending, DocumentStatus.Archived],
        [DocumentStatus.Closed] = [DocumentStatus.Archived, DocumentStatus.Pending],
        [DocumentStatus.Archived] = [],
    };

    private readonly List<DocumentVersion> _versions = [];

    private Document()
    {
    }

    public Guid Id { get; private set; }

    public string LibraryKey { get; private set; } = "";

    public string Title { get; private set; } = "";

    /// <summary>The unit the document belongs to (the library's unit column); decides visibility.</summary>
    public string UnitId { get; private set; } = "";

    public string MetadataJson { get; private set; } = "{}";

    public DocumentStatus Status { get; private set; }

    /// <summary>The library's own stage set by the chain (<see cref="DocumentStages"/>), or null to follow <see cref="Status"/>.</summary>
    public string? Stage { get; private set; }

    public int CurrentMajor { get; private set; }

    public int CurrentMinor { get; private set; }

    public string? CheckedOutBy { get; private set; }

    public DateTimeOffset? CheckedOutAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The record this draft revises (修订), when it was made by <see cref="Revise"/>.</summary>
    public Guid? RevisionOfId { get; private set; }

    /// <summary>
    /// A record: once a document has left Draft (submitted, approved, signed, published, closed…) its file is fixed. It
    /// cannot be checked out, checked in or restored; a new revision is a new draft through <see cref="Revise"/>.
    /// Sending it back to Draft (退回, 撤回) opens it again.
    /// </summary>
    public bool IsLocked => Status != DocumentStatus.Draft;

    /// <summary>Whether <see cref="Revise"/> may copy it now: a record that is not in the middle of a chain.</summary>
    public bool CanRevise => IsLocked && Status != DocumentStatus.Pending;

    /// <summary>Optimistic concurrency token, bumped by every change.</summary>
    public int Revision { get; private set; }

    public IReadOnlyList<DocumentVersion> Versions => _versions;

    public VersionNumber CurrentVersion => new(CurrentMajor, CurrentMinor);

    public DocumentVersion CurrentVersionEntry => FindVersion(CurrentVersion)!;

    public static Document Upload(Library library, string title, string unitId, string metadataJson, StoredFile file, string by, DateTimeOffset at) =>
        Draft(library.Key, title, unitId, metadataJson, file, null, null, by, at);

    /// <summary>A new draft at version 0.1: an upload, or the copy a 修订 makes of a record.</summary>
    private static Document Draft(
        string libraryKey, string title, string unitId, string metadataJson, StoredFile file, string? comment, Guid? revisionOf, string by, DateTimeOffset at)
    {
        var document = new Document
        {
            Id = Guid.NewGuid(),
            LibraryKey = libraryKey,
            Title = title,
            UnitId = unitId,
            MetadataJson = metadataJson,
            Status = DocumentStatus.Draft,
            CreatedBy = by,
            CreatedAt = at,
            RevisionOfId = revisionOf,
        };
        document.AddVersion(VersionNumber.First, file, comment, by, at);
        return document;
    }

    /// <summary>
    /// 修订: a new draft in the same library with this record's title, unit, metadata and current file as version 0.1,
    /// linked back by <see cref="RevisionOfId"/>. The record itself is left exactly as it is.
    /// </summary>
    public Document Revise(string by, DateTimeOffset at)
    {
        if (!IsLocked)
        {
            throw new DomainException("草稿可直接锁定修改，无需修订 (a draft is edited through check-out, not revised).");
        }

        if (!CanRevise)
        {
            throw new DomainException("文档正在审批中，请先撤回或等待办结再修订 (a document in an approval chain cannot be revised; withdraw it first).");
        }

        return Draft(LibraryKey, Title, UnitId, MetadataJson, CurrentVersionEntry.File, $"修订自版本 {CurrentVersion}", Id, by, at);
    }

    public DocumentVersion? FindVersion(VersionNumber number) => _versions.FirstOrDefault(v => v.Number == number);

    public void CheckOut(string by, DateTimeOffset at)
    {
        EnsureNotLocked();
        EnsureNotHeldByOther(by);

        CheckedOutBy = by;
        CheckedOutAt = at;
        Touch(at);
    }

    public DocumentVersion CheckIn(string by, StoredFile file, string? comment, DateTimeOffset at)
    {
        EnsureNotLocked();
        EnsureNotHeldByOther(by);
        if (CheckedOutBy is null)
        {
            throw new DomainException("文档未锁定，请先锁定修改再上传修改稿 (check the document out before checking in).");
        }

        var version = AddVersion(CurrentVersion.NextMinor(), file, comment, by, at);
        CheckedOutBy = null;
        CheckedOutAt = null;
        return version;
    }

    /// <summary>Releases the lock without a new version. Only the holder, or an administrator, may do it.</summary>
    public string DiscardCheckOut(string by, bool isAdmin, DateTimeOffset at)
    {
        var holder = CheckedOutBy ?? throw new DomainException("文档未被锁定 (the document is not checked out).");
        if (holder != by && !isAdmin)
        {
            throw new CheckedOutByOtherException(holder);
        }

        CheckedOutBy = null;
        CheckedOutAt = null;
        Touch(at);
        return holder;
    }

    /// <summary>Makes an old version current again, as a new minor version with the same bytes.</summary>
    public DocumentVersion RestoreVersion(VersionNumber number, string by, DateTimeOffset at)
    {
        EnsureNotLocked();
        EnsureNotHeldByOther(by);
        var old = FindVersion(number) ?? throw new NotFoundException($"版本 {number} 不存在 (version {number} not found).");
        return AddVersion(CurrentVersion.NextMinor(), old.File, $"恢复自版本 {number}", by, at);
    }

    public void Submit(DateTimeOffset at) => MoveTo(DocumentStatus.Pending, at);

    public void Withdraw(DateTimeOffset at) => MoveTo(DocumentStatus.Draft, at);

    /// <summary>Approval publishes the current content as the next major version (0.3 → 1.0): what was approved is fixed.</summary>
    public DocumentVersion Approve(string by, DateTimeOffset at)
    {
        MoveTo(DocumentStatus.Approved, at);
        return AddVersion(CurrentVersion.NextMajor(), CurrentVersionEntry.File, "审批通过", by, at);
    }

    public void Reject(DateTimeOffset at) => MoveTo(DocumentStatus.Rejected, at);

    public void MarkSigned(DateTimeOffset at) => MoveTo(DocumentStatus.Signed, at);

    public void Close(DateTimeOffset at) => MoveTo(DocumentStatus.Closed, at);

    public void Archive(DateTimeOffset at) => MoveTo(DocumentStatus.Archived, at);

    /// <summary>Publishes the document; content not yet fixed as a major version becomes the next one (0.3 → 1.0, 1.2 → 2.0).</summary>
    public DocumentVersion Publish(string by, DateTimeOffset at)
    {
        EnsureNotHeldByOther(by);
        MoveTo(DocumentStatus.Published, at);
        return CurrentMinor == 0 ? CurrentVersionEntry : AddVersion(CurrentVersion.NextMajor(), CurrentVersionEntry.File, "公布", by, at);
    }

    public bool CanMoveTo(DocumentStatus target) => Transitions[Status].Contains(target);

    /// <summary>
    /// Records the chain's stage in the library's words (已下达, 整改中, 待复查, 已备案 …); it stands until the next status move.
    /// Only an open or finished document has one: a draft's stage is always 草稿.
    /// </summary>
    public void SetStage(string stage, DateTimeOffset at)
    {
        if (!DocumentStages.IsKnown(stage))
        {
            throw new DomainException($"“{stage}”不是文档阶段，可用: {string.Join(", ", DocumentStages.All)} (unknown stage '{stage}').");
        }

        if (Status is DocumentStatus.Draft or DocumentStatus.Archived)
        {
            throw new DomainException($"文档处于{Status}状态，不能设置阶段 (a {Status} document has no stage).");
        }

        Stage = stage == DocumentStages.FromStatus(LibraryKey, Status) ? null : stage;
        Touch(at);
    }

    /// <summary>Sets one metadata field the chain owns (e.g. a plan's <c>publishedOn</c> when it is published).</summary>
    public void SetMetadataValue(string key, string value, DateTimeOffset at)
    {
        var metadata = System.Text.Json.Nodes.JsonNode.Parse(MetadataJson) as System.Text.Json.Nodes.JsonObject ?? [];
        metadata[key] = value;
        MetadataJson = metadata.ToJsonString(JsonDefaults.Compact);
        Touch(at);
    }

    private void MoveTo(DocumentStatus target, DateTimeOffset at)
    {
        if (!CanMoveTo(target))
        {
            throw new DomainException($"文档状态不能从 {Status} 变为 {target} (illegal status change {Status} → {target}).");
        }

        Status = target;
        Stage = null;
        Touch(at);
    }

    private void EnsureNotHeldByOther(string by)
    {
        if (CheckedOutBy is not null && CheckedOutBy != by)
        {
            throw new CheckedOutByOtherException(CheckedOutBy);
        }
    }

    private void EnsureNotLocked()
    {
        if (IsLocked)
        {
            throw new DocumentLockedException(Status, DocumentStages.Of(this));
        }
    }

    private DocumentVersion AddVersion(VersionNumber number, StoredFile file, string? comment, string by, DateTimeOffset at)
    {
        var version = new DocumentVersion(Id, number, file, comment, by, at);
        _versions.Add(version);
        CurrentMajor = number.Major;
        CurrentMinor = number.Minor;
        Touch(at);
        return version;
    }

    private void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        Revision++;
    }
}

/// <summary>Another official holds the check-out lock (HTTP 409 naming the holder).</summary>
public sealed class CheckedOutByOtherException(string holder)
    : DomainException($"文档正由他人锁定修改，请待其上传修改稿或取消锁定 (the document is checked out by {holder}).")
{
    public string Holder { get; } = holder;
}

/// <summary>The document has left Draft: its file is a record and cannot change (HTTP 409 with <c>documentStatus</c>); revise it instead.</summary>
public sealed class DocumentLockedException(DocumentStatus status, string stage)
    : DomainException($"文档已{(stage == DocumentStages.Pending ? "提交审批" : "定稿")}（{DocumentStages.Words(stage)}），文件不能再修改或替换；如需修改请“修订”生成新草稿 " +
        $"(the document has left Draft ({DocumentStages.Words(stage, english: true)}); its file is locked and cannot be checked out, checked in or replaced: revise it to make a new draft).")
{
    public DocumentStatus Status { get; } = status;

    /// <summary>The library stage the document is at (<see cref="DocumentStages"/>).</summary>
    public string Stage { get; } = stage;
}
