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
