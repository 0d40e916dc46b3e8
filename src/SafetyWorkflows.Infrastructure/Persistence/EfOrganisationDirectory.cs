using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Persistence;

internal sealed class EfOrganisationDirectory(SafetyDbContext db) : IOrganisationDirectory
{
    // The two lookups of nearly every request (names shown, receivers checked) are compiled once per model.
    private static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<Unit?>>> UnitById = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string id, CancellationToken _) => db.Units.AsNoTracking().FirstOrDefault(u => u.Id == id)));

    private static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<Official?>>> OfficialByName = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, CancellationToken _) => db.Officials.AsNoTracking().FirstOrDefault(o => o.UserName == userName)));

    public async Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken) =>
        await db.Units.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);

    public Task<Unit?> FindUnitAsync(string id, CancellationToken cancellationToken) => UnitById.For(db)(db, id, cancellationToken);

    public async Task<IReadOnlyList<Official>> ListOfficialsAsync(CancellationToken cancellationToken) =>
        await db.Officials.AsNoTracking().OrderBy(o => o.UserName).ToListAsync(cancellationToken);

    public Task<Official?> FindOfficialAsync(string userName, CancellationToken cancellationToken) => OfficialByName.For(db)(db, userName, cancellationToken);

    public async Task<IReadOnlyList<RoleName>> ListRolesAsync(CancellationToken cancellationToken) =>
        await db.RoleDefinitions.AsNoTracking().OrderBy(r => r.Key).Select(r => new RoleName(r.Key, r.Name, r.NameEn)).ToListAsync(cancellationToken);
}
