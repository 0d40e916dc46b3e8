using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfOrganisationDirectory(SafetyDbContext db) : IOrganisationDirectory
{
    public async Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken) =>
        await db.Units.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);

    public Task<Unit?> FindUnitAsync(string id, CancellationToken cancellationToken) =>
        db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Official>> ListOfficialsAsync(CancellationToken cancellationToken) =>
        await db.Officials.AsNoTracking().OrderBy(o => o.UserName).ToListAsync(cancellationToken);

    public Task<Official?> FindOfficialAsync(string userName, CancellationToken cancellationToken) =>
        db.Officials.AsNoTracking().FirstOrDefaultAsync(o => o.UserName == userName, cancellationToken);

    public async Task<IReadOnlyList<RoleName>> ListRolesAsync(CancellationToken cancellationToken) =>
        await db.RoleDefinitions.AsNoTracking().OrderBy(r => r.Key).Select(r => new RoleName(r.Key, r.Name, r.NameEn)).ToListAsync(cancellationToken);
}
