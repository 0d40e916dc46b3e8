using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Audit;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfAuditLog(SafetyDbContext db) : IAuditLog
{
    public void Append(AuditEntry entry) => db.AppendAudit(entry);

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? documentId, int take, CancellationToken cancellationToken)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (documentId is { } id)
        {
            entries = entries.Where(e => e.DocumentId == id);
        }

        return await entries.OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        await AuditChain.VerifyAsync(db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable(), cancellationToken);
}
