namespace SafetyWorkflows.Core.Organisation;

/// <summary>The signed-in official on whose behalf a use case runs.</summary>
public sealed record Actor(string UserName, string DisplayName, IReadOnlySet<string> Roles, string? UnitId)
{
    public bool IsAdmin => Roles.Contains(Organisation.Roles.Admin);

    public bool IsTownshipWide => Roles.Overlaps(Organisation.Roles.TownshipWide);

    public bool IsContributor => Roles.Overlaps(Organisation.Roles.Contributors);

    public bool HasRole(string role) => Roles.Contains(role);
}
