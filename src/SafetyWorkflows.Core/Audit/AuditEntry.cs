using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SafetyWorkflows.Core.Audit;

/// <summary>
/// One append-only entry of the audit chain. Each entry holds the SHA-256 of the entry before it, so editing, deleting
/// or reordering any stored entry breaks every hash after it, and <see cref="AuditChain.Verify"/> names the first one.
/// </summary>
public sealed class AuditEntry
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private AuditEntry()
    {
    }

    public AuditEntry(DateTimeOffset at, string actor, string action, Guid? documentId, string? version, string summary)
    {
        // Kept to the microsecond, the finest time PostgreSQL's timestamptz stores: the hash covers it, so the time read
        // back must be the time that was hashed, on every provider.
        var utc = at.UtcTicks;
        At = new DateTimeOffset(utc - (utc % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        Actor = actor;
        Action = action;
        DocumentId = documentId;
        Version = version;
        Summary = summary;
    }

    /// <summary>The position in the chain, 1-based, assigned when the entry is sealed.</summary>
    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string Actor { get; private set; } = "";

    public string Action { get; private set; } = "";

    public Guid? DocumentId { get; private set; }

    public string? Version { get; private set; }

    public string Summary { get; private set; } = "";

    public string PreviousHash { get; private set; } = "";

    public string Hash { get; private set; } = "";

    public bool IsSealed => Hash.Length > 0;

    /// <summary>Links the entry after <paramref name="previous"/> (null for the first entry).</summary>
    public void Seal(AuditEntry? previous)
    {
        if (IsSealed)
        {
            throw new InvalidOperationException($"Audit entry {Id} is already sealed.");
        }

        Id = (previous?.Id ?? 0) + 1;
        PreviousHash = previous?.Hash ?? GenesisHash;
        Hash = ComputeHash();
    }

    public string ComputeHash()
    {
        var canonical = string.Join('\u001f',
            Id.ToString(CultureInfo.InvariantCulture),
            At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            Actor,
            Action,
            DocumentId?.ToString("D") ?? "",
            Version ?? "",
            Summary,
            PreviousHash);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
