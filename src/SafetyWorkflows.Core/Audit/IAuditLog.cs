namespace SafetyWorkflows.Core.Audit;

/// <summary>Appends entries to the audit chain in the current unit of work; they are sealed and stored with it.</summary>
public interface IAuditLog
{
    void Append(AuditEntry entry);

    Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? documentId, int take, CancellationToken cancellationToken);

    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}

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
    public const string Seed = "system.seed";
}
