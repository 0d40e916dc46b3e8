using System.ComponentModel.DataAnnotations;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Seeding;

/// <summary>Section <c>Seed</c>: where the seed files are and the passwords given to seeded accounts when they are first created.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>The folder of seed JSON files; relative paths resolve against the application's base directory.</summary>
    [Required]
    public string Directory { get; set; } = "seeds";

    /// <summary>The administrator's initial password. Change it after the first sign-in, or set it through an environment variable.</summary>
    [Required]
    [MinLength(8)]
    public string AdminPassword { get; set; } = "Admin@2024!";

    /// <summary>The security administrator's (安全管理员) initial password.</summary>
    [Required]
    [MinLength(8)]
    public string SecurityAdminPassword { get; set; } = "Security@2024!";

    /// <summary>The audit administrator's (审计管理员) initial password.</summary>
    [Required]
    [MinLength(8)]
    public string AuditAdminPassword { get; set; } = "Audit@2024!";

    /// <summary>The demo officials' initial password.</summary>
    [Required]
    [MinLength(8)]
    public string DemoPassword { get; set; } = "Demo@2024!";

    /// <summary>Seed the demo officials (everyone but <c>admin</c>). Turn off for a real deployment.</summary>
    public bool DemoUsers { get; set; } = true;

    public string InitialPasswordFor(IReadOnlyCollection<string> roles) =>
        roles.Contains(Roles.Admin) ? AdminPassword
        : roles.Contains(Roles.SecurityAdmin) ? SecurityAdminPassword
        : roles.Contains(Roles.AuditAdmin) ? AuditAdminPassword
        : DemoPassword;

    public string ResolveDirectory() => Path.IsPathRooted(Directory) ? Directory : Path.Combine(AppContext.BaseDirectory, Directory);
}
