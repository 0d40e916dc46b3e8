using System.Reflection;
using SafetyWorkflows.Core.Audit;

namespace SafetyWorkflows.UnitTests.Core.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Verify_AcceptsAnIntactChain()
    {
        var chain = Chain(5);

        var result = AuditChain.Verify(chain);

        Assert.True(result.Ok);
        Assert.Equal(5, result.Entries);
        Assert.Equal(AuditEntry.GenesisHash, chain[0].PreviousHash);
        Assert.Equal(chain[2].Hash, chain[3].PreviousHash);
    }

    [Fact]
    public void Verify_NamesTheEditedEntry()
    {
        var chain = Chain(5);
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Summary))!.SetValue(chain[2], "篡改");

        var result = AuditChain.Verify(chain);

        Assert.False(result.Ok);
        Assert.Equal(3, result.FirstBrokenEntryId);
    }

    [Fact]
    public void Verify_NamesTheEntryAfterARemovedOne()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        var result = AuditChain.Verify(chain);

        Assert.Equal(3, result.FirstBrokenEntryId);
    }

    [Fact]
    public void Verify_NamesARehashedEntry_ByItsSuccessor()
    {
        var chain = Chain(4);
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Actor))!.SetValue(chain[1], "mallory");
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Hash), BindingFlags.Public | BindingFlags.Instance)!.SetValue(chain[1], chain[1].ComputeHash());

        var result = AuditChain.Verify(chain);

        Assert.Equal(3, result.FirstBrokenEntryId);
    }

    [Fact]
    public void Seal_Twice_Throws()
    {
        var entry = new AuditEntry(T0, "a", "b", null, null, "c");
        entry.Seal(null);

        Assert.Throws<InvalidOperationException>(() => entry.Seal(null));
    }

    private static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            var entry = new AuditEntry(T0.AddMinutes(i), "zhaomin", "document.upload", Guid.NewGuid(), "0.1", $"上传 {i}");
            entry.Seal(entries.LastOrDefault());
            entries.Add(entry);
        }

        return entries;
    }
}
