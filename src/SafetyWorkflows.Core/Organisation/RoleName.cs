namespace SafetyWorkflows.Core.Organisation;

/// <summary>A role's stable key (see <see cref="Roles"/>) and its names, as seeded.</summary>
public sealed record RoleName(string Key, string Name, string NameEn);
