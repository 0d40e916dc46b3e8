using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>The board's reads: column projections of the rectification orders and of their chains' completed steps.</summary>
internal sealed class EfHazardLedgerSource(SafetyDbContext db) : IHazardLedgerSource
{
    private static readonly string[] ListingSteps = [HazardActivities.Listed, HazardActivities.Delisted];

    private static readonly string[] AllSteps =
        [HazardActivities.Listed, HazardActivities.Delisted, HazardActivities.Acknowledged, HazardActivities.Evidence, HazardActivities.Reinspected];

    public async Task<IReadOnlyList<HazardRecord>> ListAsync(IReadOnlySet<string>? units, CancellationToken cancellationToken)
    {
        var orders = db.Documents.AsNoTracking().Where(d => d.LibraryKey == Libraries.RectificationOrders
            && d.Status != DocumentStatus.Draft && d.Status != DocumentStatus.Rejected && d.Status != DocumentStatus.Archived);
        if (units is not null)
        {
            var ids = units.ToList();
            orders = orders.Where(d => ids.Contains(d.UnitId));
        }

        return await orders
            .Select(d => new HazardRecord(d.Id, d.Title, d.UnitId, d.Status, d.Stage, d.MetadataJson, d.CreatedAt, d.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<string> FingerprintAsync(CancellationToken cancellationToken)
    {
        var orders = db.Documents.AsNoTracking().Where(d => d.LibraryKey == Libraries.RectificationOrders);
        var count = await orders.CountAsync(cancellationToken);
        var latest = await orders.OrderByDescending(d => d.UpdatedAt).Select(d => new { d.UpdatedAt, d.Id, d.Revision }).FirstOrDefaultAsync(cancellationToken);
        var listings = await db.Set<ApprovalTask>().AsNoTracking()
            .CountAsync(t => t.LibraryKey == Libraries.RectificationOrders && t.Status == ApprovalTaskStatus.Completed && ListingSteps.Contains(t.ActivityId), cancellationToken);
        return $"{count}|{latest?.UpdatedAt.UtcTicks}|{latest?.Id}|{latest?.Revision}|{listings}";
    }

    public async Task<IReadOnlyDictionary<Guid, HazardSteps>> StepsAsync(bool full, CancellationToken cancellationToken)
    {
        var activities = full ? AllSteps : ListingSteps;
        var rows = await db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => t.LibraryKey == Libraries.RectificationOrders && t.Status == ApprovalTaskStatus.Completed && t.DocumentId != null
                && activities.Contains(t.ActivityId))
            .Select(t => new { DocumentId = t.DocumentId!.Value, t.ActivityId, t.Outcome, t.DecidedBy, t.ClosedAt })
            .ToListAsync(cancellationToken);

        // A step may have run more than once (re-inspection failed, rectified again): the latest decision stands.
        var steps = new Dictionary<Guid, HazardSteps>();
        foreach (var row in rows.OrderBy(r => r.ClosedAt))
        {
            var step = steps.GetValueOrDefault(row.DocumentId) ?? new HazardSteps();
            steps[row.DocumentId] = (row.ActivityId, row.Outcome) switch
            {
                (HazardActivities.Listed, "Approved") => step with { ListedBy = row.DecidedBy, Delisted = false },
                (HazardActivities.Delisted, "Approved") => step with { Delisted = true },
                (HazardActivities.Acknowledged, "Signed" or "Refused") => step with { SignedBy = row.DecidedBy },
                (HazardActivities.Evidence, "Submitted") => step with { EvidenceAt = row.ClosedAt },
                (HazardActivities.Reinspected, "Approved") => step with { ReinspectedBy = row.DecidedBy, ReinspectedAt = row.ClosedAt },
                _ => step,
            };
        }

        return steps;
    }
}
