using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Documents;

public sealed class DocumentTests
{
    private static readonly DateTimeOffset T1 = DocumentBuilder.T0.AddHours(1);

    [Fact]
    public void Upload_CreatesVersion01_InDraft()
    {
        var document = new DocumentBuilder().Build();

        Assert.Equal(new VersionNumber(0, 1), document.CurrentVersion);
        Assert.Equal(DocumentStatus.Draft, document.Status);
        Assert.Single(document.Versions);
        Assert.Null(document.CheckedOutBy);
    }

    [Fact]
    public void CheckIn_MakesNextMinor_AndReleasesTheLock()
    {
        var document = new DocumentBuilder().Build();
        document.CheckOut("zhaomin", T1);

        var version = document.CheckIn("zhaomin", DocumentBuilder.File("b"), "修改", T1);

        Assert.Equal(new VersionNumber(0, 2), version.Number);
        Assert.Equal("修改", version.Comment);
        Assert.Null(document.CheckedOutBy);
        Assert.Equal(2, document.Versions.Count);
    }

    [Fact]
    public void CheckIn_Throws_WhenAnotherOfficialHoldsTheLock()
    {
        var document = new DocumentBuilder().Build();
        document.CheckOut("zhaomin", T1);

        var ex = Assert.Throws<CheckedOutByOtherException>(() => document.CheckIn("chenjing", DocumentBuilder.File("b"), null, T1));

        Assert.Equal("zhaomin", ex.Holder);
        Assert.Single(document.Versions);
    }

    [Fact]
    public void CheckIn_Throws_WhenNotCheckedOut()
    {
        var document = new DocumentBuilder().Build();

        Assert.Throws<DomainException>(() => document.CheckIn("zhaomin", DocumentBuilder.File("b"), null, T1));
    }

    [Fact]
    public void DiscardCheckOut_ByAdmin_ReleasesSomeoneElsesLock()
    {
        var document = new DocumentBuilder().Build();
        document.CheckOut("zhaomin", T1);

        Assert.Throws<CheckedOutByOtherException>(() => document.DiscardCheckOut("chenjing", isAdmin: false, T1));
        var holder = document.DiscardCheckOut("admin", isAdmin: true, T1);

        Assert.Equal("zhaomin", holder);
        Assert.Null(document.CheckedOutBy);
    }

    [Fact]
    public void RestoreVersion_AddsNextMinor_WithTheOldContent()
    {
        var document = new DocumentBuilder().Build();
        document.CheckOut("zhaomin", T1);
        document.CheckIn("zhaomin", DocumentBuilder.File("b"), null, T1);

        var restored = document.RestoreVersion(new VersionNumber(0, 1), "chenjing", T1);

        Assert.Equal(new VersionNumber(0, 3), restored.Number);
        Assert.Equal(document.FindVersion(new VersionNumber(0, 1))!.ContentHash, restored.ContentHash);
    }

    [Fact]
    public void RestoreVersion_Throws_ForAMissingVersion()
    {
        var document = new DocumentBuilder().Build();

        Assert.Throws<NotFoundException>(() => document.RestoreVersion(new VersionNumber(3, 0), "zhaomin", T1));
    }

    [Fact]
    public void Publish_MakesTheNextMajorVersion_FromPending()
    {
        var document = new DocumentBuilder().Build();
        document.Submit(T1);

        var published = document.Publish("liuhua", T1);

        Assert.Equal(new VersionNumber(1, 0), published.Number);
        Assert.Equal(DocumentStatus.Published, document.Status);
        Assert.Equal(document.FindVersion(new VersionNumber(0, 1))!.ContentHash, published.ContentHash);
    }

    [Fact]
    public void Approve_FixesTheContentAsTheNextMajorVersion()
    {
        var document = new DocumentBuilder().Build();
        document.Submit(T1);

        var approved = document.Approve("workflow", T1);

        Assert.Equal(new VersionNumber(1, 0), approved.Number);
        Assert.Equal(DocumentStatus.Approved, document.Status);
        Assert.Same(approved, document.Publish("workflow", T1));
    }

    [Fact]
    public void Publish_Throws_FromDraft()
    {
        var document = new DocumentBuilder().Build();

        var ex = Assert.Throws<DomainException>(() => document.Publish("liuhua", T1));

        Assert.Contains("Draft", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DocumentStatus.Draft, document.Status);
    }

    [Fact]
    public void CheckOut_Throws_WhilePending()
    {
        var document = new DocumentBuilder().Build();
        document.Submit(T1);

        Assert.Throws<DocumentLockedException>(() => document.CheckOut("zhaomin", T1));
    }

    [Fact]
    public void CheckOutCheckInAndRestore_ThrowLocked_OnceTheDocumentHasLeftDraft()
    {
        var document = new DocumentBuilder().Build();
        document.Submit(T1);
        document.Approve("workflow", T1);

        Assert.True(document.IsLocked);
        Assert.Equal(DocumentStatus.Approved, Assert.Throws<DocumentLockedException>(() => document.CheckOut("zhaomin", T1)).Status);
        Assert.Throws<DocumentLockedException>(() => document.CheckIn("zhaomin", DocumentBuilder.File("b"), null, T1));
        Assert.Throws<DocumentLockedException>(() => document.RestoreVersion(new VersionNumber(0, 1), "zhaomin", T1));
        Assert.Equal(2, document.Versions.Count);
    }

    [Fact]
    public void CheckIn_ThrowsLocked_WhenTheDocumentWasSubmittedWhileCheckedOut()
    {
        var document = new DocumentBuilder().Build();
        document.CheckOut("zhaomin", T1);
        document.Submit(T1);

        Assert.Throws<DocumentLockedException>(() => document.CheckIn("zhaomin", DocumentBuilder.File("b"), null, T1));
    }

    [Fact]
    public void Revise_CopiesTheRecordToALinkedDraft_AndLeavesTheRecordAsItIs()
    {
        var record = new DocumentBuilder().Build();
        record.Submit(T1);
        record.Publish("liuhua", T1);
        var revisionBefore = record.Revision;

        var draft = record.Revise("chenjing", T1);

        Assert.NotEqual(record.Id, draft.Id);
        Assert.Equal(record.Id, draft.RevisionOfId);
        Assert.Equal(DocumentStatus.Draft, draft.Status);
        Assert.Equal(new VersionNumber(0, 1), draft.CurrentVersion);
        Assert.Equal(record.CurrentVersionEntry.ContentHash, draft.CurrentVersionEntry.ContentHash);
        Assert.Equal((record.LibraryKey, record.Title, record.UnitId, record.MetadataJson), (draft.LibraryKey, draft.Title, draft.UnitId, draft.MetadataJson));
        Assert.Equal("chenjing", draft.CreatedBy);
        Assert.Equal(DocumentStatus.Published, record.Status);
        Assert.Equal(revisionBefore, record.Revision);
    }

    [Fact]
    public void Revise_Throws_ForADraft_AndWhilePending()
    {
        var document = new DocumentBuilder().Build();

        Assert.Throws<DomainException>(() => document.Revise("zhaomin", T1));
        document.Submit(T1);
        Assert.False(document.CanRevise);
        Assert.Throws<DomainException>(() => document.Revise("zhaomin", T1));
    }

    [Fact]
    public void Archived_IsFinal()
    {
        var document = new DocumentBuilder().Build();
        document.Archive(T1);

        foreach (var status in Enum.GetValues<DocumentStatus>())
        {
            Assert.False(document.CanMoveTo(status));
        }
    }

    [Fact]
    public void Transitions_CoverEveryStatus()
    {
        Assert.Equal(Enum.GetValues<DocumentStatus>().Order(), Document.Transitions.Keys.Order());
    }

    [Fact]
    public void EveryChange_BumpsTheRevision()
    {
        var document = new DocumentBuilder().Build();
        var before = document.Revision;

        document.CheckOut("zhaomin", T1);
        document.DiscardCheckOut("zhaomin", false, T1);
        document.Submit(T1);

        Assert.Equal(before + 3, document.Revision);
    }
}
