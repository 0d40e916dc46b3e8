using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Seeding;

/// <summary>
/// Applies <c>seeds/*.json</c>: roles by key, units by id, officials by user name. Existing rows are updated in place and
/// passwords are set only when an account is created, so running it again changes nothing and keeps changed passwords.
/// </summary>
public sealed class Seeder(SafetyDbContext db, IOptions<SeedOptions> options, TimeProvider clock, ILogger<Seeder> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.ResolveDirectory();
        var roles = await ReadAsync<RoleSeed>(folder, "roles.json", cancellationToken);
        var units = await ReadAsync<UnitSeed>(folder, "units.json", cancellationToken);
        var officials = await ReadAsync<OfficialSeed>(folder, "officials.json", cancellationToken);
        Validate(roles, units, officials);

        var changes = 0;
        var existingRoles = await db.RoleDefinitions.ToDictionaryAsync(r => r.Key, cancellationToken);
        foreach (var seed in roles)
        {
            if (!existingRoles.TryGetValue(seed.Key, out var role))
            {
                db.RoleDefinitions.Add(new RoleDefinition { Key = seed.Key, Name = seed.Name, NameEn = seed.NameEn });
                changes++;
            }
            else if (role.Name != seed.Name || role.NameEn != seed.NameEn)
            {
                role.Name = seed.Name;
                role.NameEn = seed.NameEn;
                changes++;
            }
        }

        var existingUnits = await db.Units.ToDictionaryAsync(u => u.Id, cancellationToken);
        foreach (var seed in units)
        {
            if (!existingUnits.TryGetValue(seed.Id, out var unit))
            {
                db.Units.Add(new Unit(seed.Id, seed.Name, seed.NameEn, seed.Kind, seed.ParentId, seed.Sector));
                changes++;
            }
            else if (unit.Name != seed.Name || unit.NameEn != seed.NameEn || unit.Kind != seed.Kind || unit.ParentId != seed.ParentId || unit.Sector != seed.Sector)
            {
                unit.Update(seed.Name, seed.NameEn, seed.Kind, seed.ParentId, seed.Sector);
                changes++;
            }
        }

        // Libraries: a seed adds those not there yet; once stored, a library belongs to the administrator's edits.
        var libraryFile = Path.Combine(folder, "libraries.json");
        if (!File.Exists(libraryFile))
        {
            throw new InvalidOperationException($"Seed file {libraryFile} is missing (Seed:Directory = {folder}).");
        }

        var storedLibraries = await db.LibraryDefinitions.Select(l => l.Key).ToListAsync(cancellationToken);
        var libraries = LibraryDefinition.ReadSeeds(await File.ReadAllTextAsync(libraryFile, cancellationToken), libraryFile, clock.GetUtcNow());
        foreach (var library in libraries.Where(l => !storedLibraries.Contains(l.Key)))
        {
            db.LibraryDefinitions.Add(library);
            changes++;
        }

        var existingOfficials = await db.Officials.ToDictionaryAsync(o => o.UserName, cancellationToken);
        // The 三员 accounts are always seeded, each with its own initial password; demo officials only when asked for.
        foreach (var seed in officials.Where(o => options.Value.DemoUsers || o.Roles.Any(Roles.ThreeAdministrators.Contains)))
        {
            if (!existingOfficials.TryGetValue(seed.UserName, out var official))
            {
                var password = options.Value.InitialPasswordFor(seed.Roles);
                var created = new Official(seed.UserName, seed.DisplayName, seed.Email, seed.UnitId, seed.Roles, PasswordHasher.Hash(password));
                created.ChangePosition(seed.Position);
                db.Officials.Add(created);
                changes++;
            }
            else if (official.DisplayName != seed.DisplayName || official.Email != seed.Email || official.UnitId != seed.UnitId
                || official.Position != seed.Position)
            {
                // Once an account exists its roles belong to the security administrator: the seed does not take them back.
                official.Update(seed.DisplayName, seed.Email, seed.UnitId, official.Roles);
                official.ChangePosition(seed.Position);
                changes++;
            }
        }

        if (changes > 0)
        {
            db.AppendAudit(new AuditEntry(clock.GetUtcNow(), "system", AuditActions.Seed, null, null,
                $"种子数据：{changes} 项新增或更新 (seed applied {changes} changes from {folder})"));
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation("Seed data from {Folder}: {Changes} changes", folder, changes);
        return changes;
    }

    private static async Task<List<T>> ReadAsync<T>(string folder, string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Seed file {path} is missing (Seed:Directory = {folder}).");
        }

        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<List<T>>(stream, Json, cancellationToken)
                ?? throw new InvalidOperationException($"Seed file {path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Seed file {path} is not valid: {ex.Message}", ex);
        }
    }

    private static void Validate(List<RoleSeed> roles, List<UnitSeed> units, List<OfficialSeed> officials)
    {
        var roleKeys = roles.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var unitIds = units.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var unit in units.Where(u => u.ParentId is not null && !unitIds.Contains(u.ParentId)))
        {
            throw new InvalidOperationException($"Seed unit '{unit.Id}' names an unknown parent '{unit.ParentId}'.");
        }

        foreach (var official in officials)
        {
            if (official.UnitId is not null && !unitIds.Contains(official.UnitId))
            {
                throw new InvalidOperationException($"Seed official '{official.UserName}' names an unknown unit '{official.UnitId}'.");
            }

            var unknown = official.Roles.FirstOrDefault(r => !roleKeys.Contains(r));
            if (unknown is not null)
            {
                throw new InvalidOperationException($"Seed official '{official.UserName}' names an unknown role '{unknown}'.");
            }

            if (official.Roles.Count(Roles.ThreeAdministrators.Contains) > 1)
            {
                throw new InvalidOperationException(
                    $"Seed official '{official.UserName}' holds more than one of admin, security-admin and audit-admin: the three are kept apart.");
            }
        }
    }
}
