using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Audit;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfAuditLog(SafetyDbContext db) : IAuditLog
{
    public void Append(AuditEntry entry) => db.AppendAudit(entry);

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        db.AppendAudit(entry);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, int take, CancellationToken cancellationToken)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (query.DocumentId is { } id)
        {
            entries = entries.Where(e => e.DocumentId == id);
        }

        if (!string.IsNullOrEmpty(query.Actor))
        {
            entries = entries.Where(e => e.Actor == query.Actor);
        }

        if (!string.IsNullOrEmpty(query.ActionPrefix))
        {
            entries = entries.Where(e => e.Action.StartsWith(query.ActionPrefix));
        }

        return await entries.OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        await AuditChain.VerifyAsync(db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable(), cancellationToken);
}
