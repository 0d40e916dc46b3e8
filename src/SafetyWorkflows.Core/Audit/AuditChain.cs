namespace SafetyWorkflows.Core.Audit;

public sealed record AuditVerification(bool Ok, long Entries, long? FirstBrokenEntryId, string? Reason);

public static class AuditChain
{
    /// <summary>Walks entries in id order and names the first whose stored hash, link or position does not match.</summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entriesInOrder) =>
        VerifyAsync(entriesInOrder.ToAsyncEnumerable(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>The streaming form: memory stays flat however long the chain grows.</summary>
    public static async ValueTask<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditEntry> entriesInOrder, CancellationToken cancellationToken)
    {
        long count = 0;
        AuditEntry? previous = null;
        await foreach (var entry in entriesInOrder.WithCancellation(cancellationToken))
        {
            count++;
            var expectedId = (previous?.Id ?? 0) + 1;
            var expectedPrevious = previous?.Hash ?? AuditEntry.GenesisHash;
            if (entry.Id != expectedId)
            {
                return new AuditVerification(false, count, entry.Id, $"entry {entry.Id} follows {previous?.Id ?? 0}: an entry is missing");
            }

            if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return new AuditVerification(false, count, entry.Id, $"entry {entry.Id} does not link to the hash of entry {previous?.Id ?? 0}");
            }

            if (!string.Equals(entry.ComputeHash(), entry.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, count, entry.Id, $"entry {entry.Id} was changed after it was written");
            }

            previous = entry;
        }

        return new AuditVerification(true, count, null, null);
    }
}
