namespace SafetyWorkflows.Core.Audit;

/// <summary>Appends entries to the audit chain in the current unit of work; they are sealed and stored with it.</summary>
public interface IAuditLog
{
    void Append(AuditEntry entry);

    /// <summary>Appends one entry and stores it at once, on its own (an act that changes nothing else, such as reading the audit).</summary>
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? documentId, int take, CancellationToken cancellationToken) =>
        ListAsync(new AuditQuery(documentId, null, null), take, cancellationToken);

    /// <summary>Newest first, narrowed by whatever the query names.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, int take, CancellationToken cancellationToken);

    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);

    /// <summary>Walks the chain and records that <paramref name="actor"/> did, with what was found: verifying is audited too.</summary>
    async Task<AuditVerification> VerifyAndRecordAsync(string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var result = await VerifyAsync(cancellationToken);
        await RecordAsync(new AuditEntry(at, actor, AuditActions.AuditVerified, null, null,
            result.Ok ? $"校验审计链：{result.Entries} 条，完好 (audit chain verified: intact)" : $"校验审计链：第 {result.FirstBrokenEntryId} 条起不符 (audit chain broken)"),
            cancellationToken);
        return result;
    }
}

/// <param name="ActionPrefix">An action or the start of one (<c>auth.</c> finds every sign-in entry).</param>
public sealed record AuditQuery(Guid? DocumentId, string? Actor, string? ActionPrefix);

/// <summary>The audit actions we write. Stable strings: reports and clients filter on them.</summary>
public static class AuditActions
{
    public const string Upload = "document.upload";
    public const string CheckOut = "document.checkout";
    public const string CheckIn = "document.checkin";
    public const string DiscardCheckOut = "document.discard-checkout";
    public const string Restore = "document.restore";
    public const string Revise = "document.revise";
    public const string StatusChange = "document.status";
    public const string Publish = "document.publish";
    public const string SignIn = "auth.sign-in";
    public const string SignInFailed = "auth.sign-in-failed";
    public const string SignInThrottled = "auth.sign-in-throttled";
    public const string Locked = "auth.locked";
    public const string SignOut = "auth.sign-out";
    public const string PasswordChanged = "auth.password-changed";
    public const string PasswordReset = "account.reset-password";
    public const string Deactivated = "account.deactivate";
    public const string Activated = "account.activate";
    public const string RolesChanged = "account.roles";
    public const string SessionsRevoked = "account.sign-out";
    public const string Unlocked = "account.unlock";
    public const string AuditRead = "audit.read";
    public const string AuditVerified = "audit.verify";
    public const string LibraryChanged = "library.change";
    public const string TaskLinkUsed = "tasklink.use";
    public const string TaskLinkRefused = "tasklink.refused";
    public const string TaskLinkRevoked = "tasklink.revoke";
    public const string RecordEffect = "record.effect";
    public const string Seed = "system.seed";
    public const string WorkflowIncident = "workflow.incident";
}
