using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Seeding;

internal sealed record RoleSeed(string Key, string Name, string NameEn);

internal sealed record UnitSeed(string Id, string Name, string? NameEn, UnitKind Kind, string? ParentId, string? Sector);

internal sealed record OfficialSeed(string UserName, string DisplayName, string Email, string? UnitId, List<string> Roles, string? Position = null);
