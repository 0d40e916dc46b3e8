namespace SafetyWorkflows.Core.Organisation;

/// <summary>A person with a login. The password is kept only as a salted hash.</summary>
public sealed class Official
{
    private Official()
    {
    }

    public Official(string userName, string displayName, string email, string? unitId, IEnumerable<string> roles, string passwordHash)
    {
        UserName = userName;
        PasswordHash = passwordHash;
        Update(displayName, email, unitId, roles);
    }

    public string UserName { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public string Email { get; private set; } = "";

    /// <summary>职务 as officials read it beside the name (e.g. 双桥村党支部书记, 园长); optional.</summary>
    public string? Position { get; private set; }

    public string? UnitId { get; private set; }

    public List<string> Roles { get; private set; } = [];

    public string PasswordHash { get; private set; } = "";

    public bool IsActive { get; private set; } = true;

    public void Update(string displayName, string email, string? unitId, IEnumerable<string> roles)
    {
        DisplayName = displayName;
        Email = email;
        UnitId = unitId;
        Roles = roles.Distinct(StringComparer.Ordinal).ToList();
    }

    public void ChangePosition(string? position) => Position = string.IsNullOrWhiteSpace(position) ? null : position.Trim();

    public void ChangePasswordHash(string passwordHash) => PasswordHash = passwordHash;
}
