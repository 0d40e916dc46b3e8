namespace SafetyWorkflows.Core.Organisation;

/// <summary>Stable role keys. They are a contract: seeds, definitions and API clients use them.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string SafetyClerk = "safety-clerk";
    public const string SafetyHead = "safety-head";
    public const string LeaderInCharge = "leader-in-charge";
    public const string PartySecretary = "party-secretary";
    public const string Mayor = "mayor";
    public const string Inspector = "inspector";
    public const string UnitPrincipal = "unit-principal";
    public const string Expert = "expert";
    public const string VillageHead = "village-head";

    /// <summary>安全管理员: accounts, roles and sessions, nothing else (三员 separation).</summary>
    public const string SecurityAdmin = "security-admin";

    /// <summary>审计管理员: reads and verifies the audit log, nothing else (三员 separation).</summary>
    public const string AuditAdmin = "audit-admin";

    public static readonly IReadOnlyList<string> All =
    [
        Admin, SafetyClerk, SafetyHead, LeaderInCharge, PartySecretary, Mayor, Inspector, UnitPrincipal, Expert, VillageHead,
        SecurityAdmin, AuditAdmin,
    ];

    /// <summary>The 三员: system, security and audit administrator. A person holds at most one of them, and none of them does
    /// another's work.</summary>
    public static readonly IReadOnlySet<string> ThreeAdministrators = new HashSet<string>(StringComparer.Ordinal)
    {
        Admin, SecurityAdmin, AuditAdmin,
    };

    /// <summary>Township-wide roles: officials holding one of them see the documents of every unit.</summary>
    public static readonly IReadOnlySet<string> TownshipWide = new HashSet<string>(StringComparer.Ordinal)
    {
        Admin, SafetyClerk, SafetyHead, LeaderInCharge, PartySecretary, Mayor, Inspector,
    };

    /// <summary>Roles that may upload documents and edit them through check-out and check-in.</summary>
    public static readonly IReadOnlySet<string> Contributors = new HashSet<string>(StringComparer.Ordinal)
    {
        Admin, SafetyClerk, SafetyHead, Inspector, UnitPrincipal, VillageHead,
    };
}
