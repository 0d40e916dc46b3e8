using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Notices;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Notices;

internal sealed class EfNoticeRepository(SafetyDbContext db) : INoticeRepository
{
    // Each retry is a lost race with another issue (on this node or another); a handful at once is the realistic most.
    private const int MaxAttempts = 50;

    public Task<OfficialNotice?> FindAsync(Guid documentId, string kind, CancellationToken cancellationToken) =>
        db.OfficialNotices.AsNoTracking().FirstOrDefaultAsync(n => n.DocumentId == documentId && n.Kind == kind, cancellationToken);

    public Task<OfficialNotice?> FindByCodeAsync(string code, CancellationToken cancellationToken) =>
        db.OfficialNotices.AsNoTracking().FirstOrDefaultAsync(n => n.VerificationCode == code, cancellationToken);

    public async Task<IReadOnlyList<OfficialNotice>> ListAsync(Guid documentId, CancellationToken cancellationToken) =>
        await db.OfficialNotices.AsNoTracking().Where(n => n.DocumentId == documentId).OrderBy(n => n.IssuedAt).ToListAsync(cancellationToken);

    public async Task<OfficialNotice> IssueAsync(
        string kind, int year, Guid documentId, Func<int, CancellationToken, Task<(OfficialNotice Notice, AuditEntry Audit)>> build,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var counter = await db.NoticeCounters.FirstOrDefaultAsync(c => c.Kind == kind && c.Year == year, cancellationToken);
            if (counter is null)
            {
                counter = new NoticeCounter(kind, year);
                db.NoticeCounters.Add(counter);
            }

            var (notice, audit) = await build(counter.Next(), cancellationToken);
            db.OfficialNotices.Add(notice);
            db.AppendAudit(audit);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return notice;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Another issue took this number first (the counter's token moved, or its first row was inserted twice),
                // or issued this very notice: nothing was stored, so nothing is skipped. Look again.
                db.ChangeTracker.Clear();
                if (await FindAsync(documentId, kind, cancellationToken) is { } issued)
                {
                    return issued;
                }

                await Task.Delay(Random.Shared.Next(5, 25) * Math.Min(attempt, 8), cancellationToken);
            }
        }
    }
}

internal sealed class EfSignatureImageRepository(SafetyDbContext db) : ISignatureImageRepository
{
    public Task<SignatureImage?> FindAsync(string userName, CancellationToken cancellationToken) =>
        db.SignatureImages.AsNoTracking().FirstOrDefaultAsync(s => s.UserName == userName, cancellationToken);

    public async Task<IReadOnlyDictionary<string, byte[]>> ContentOfAsync(IEnumerable<string> userNames, CancellationToken cancellationToken)
    {
        var names = userNames.ToList();
        return await db.SignatureImages.AsNoTracking().Where(s => names.Contains(s.UserName))
            .ToDictionaryAsync(s => s.UserName, s => s.Content, StringComparer.Ordinal, cancellationToken);
    }

    public async Task SaveAsync(string userName, string contentType, byte[] content, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        var image = await db.SignatureImages.FirstOrDefaultAsync(s => s.UserName == userName, cancellationToken);
        if (image is null)
        {
            db.SignatureImages.Add(new SignatureImage(userName, contentType, content, at));
        }
        else
        {
            image.Replace(contentType, content, at);
        }

        db.AppendAudit(audit);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string userName, AuditEntry audit, CancellationToken cancellationToken)
    {
        var image = await db.SignatureImages.FirstOrDefaultAsync(s => s.UserName == userName, cancellationToken);
        if (image is null)
        {
            return false;
        }

        db.SignatureImages.Remove(image);
        db.AppendAudit(audit);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
