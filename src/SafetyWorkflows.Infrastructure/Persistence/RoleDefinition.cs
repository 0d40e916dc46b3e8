namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>A role as seeded: its stable key and its names. Officials refer to roles by key.</summary>
public sealed class RoleDefinition
{
    public required string Key { get; set; }

    public required string Name { get; set; }

    public required string NameEn { get; set; }
}
