namespace SafetyWorkflows.Core.Organisation;

/// <summary>Read access to units and officials.</summary>
public interface IOrganisationDirectory
{
    Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken);

    Task<Unit?> FindUnitAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Official>> ListOfficialsAsync(CancellationToken cancellationToken);

    Task<Official?> FindOfficialAsync(string userName, CancellationToken cancellationToken);

    Task<IReadOnlyList<RoleName>> ListRolesAsync(CancellationToken cancellationToken);
}

public static class OrganisationNames
{
    /// <summary>An official's name as people read it (王强), or the login itself when the directory does not know it.</summary>
    public static async Task<string> DisplayNameAsync(this IOrganisationDirectory directory, string userName, CancellationToken cancellationToken) =>
        (await directory.FindOfficialAsync(userName, cancellationToken))?.DisplayName ?? userName;
}
