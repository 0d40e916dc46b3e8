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

    /// <summary>Changes whenever what a session was granted on stops holding (password, roles, activity, forced sign-out);
    /// every cookie and token carries the stamp it was issued with and is refused once they differ.</summary>
    public string SecurityStamp { get; private set; } = NewStamp();

    /// <summary>Set by a reset: the temporary password works only to choose a new one.</summary>
    public bool MustChangePassword { get; private set; }

    public DateTimeOffset? PasswordChangedAt { get; private set; }

    public DateTimeOffset? LastSignInAt { get; private set; }

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
        ChangeRoles(roles);
    }

    /// <summary>New roles take effect at the next sign-in: sessions granted on the old ones end now.</summary>
    public void ChangeRoles(IEnumerable<string> roles)
    {
        var next = roles.Distinct(StringComparer.Ordinal).ToList();
        if (!next.SequenceEqual(Roles))
        {
            Roles = next;
            RenewStamp();
        }
    }

    /// <summary>The owner chose a new password: every other session ends.</summary>
    public void ChangePassword(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        PasswordChangedAt = now;
        MustChangePassword = false;
        RenewStamp();
    }

    /// <summary>An administrator set a temporary password: the owner must choose their own at the next sign-in.</summary>
    public void ResetPassword(string temporaryHash, DateTimeOffset now)
    {
        PasswordHash = temporaryHash;
        PasswordChangedAt = now;
        MustChangePassword = true;
        RenewStamp();
    }

    public void Deactivate()
    {
        IsActive = false;
        RenewStamp();
    }

    public void Activate() => IsActive = true;

    /// <summary>Ends every session of this person (forced sign-out).</summary>
    public void RevokeSessions() => RenewStamp();

    public void RecordSignIn(DateTimeOffset now) => LastSignInAt = now;

    private void RenewStamp() => SecurityStamp = NewStamp();

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    public void ChangePosition(string? position) => Position = string.IsNullOrWhiteSpace(position) ? null : position.Trim();

}
