using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Admin;

/// <summary>The audit administrator's page: the audit log, narrowed by person and kind of act, and the chain's check. Reading
/// and checking are audited too.</summary>
[Authorize(Policy = AuthSetup.AuditAdminPolicy)]
public sealed class AuditModel(IAuditLog audit, TimeProvider clock) : PageModel
{
    /// <summary>Kinds of act the page filters by: an action prefix and its words.</summary>
    public static readonly IReadOnlyList<(string Prefix, string Zh, string En)> Kinds =
    [
        ("auth.", "登录与退出", "Sign-in and sign-out"),
        ("account.", "账号管理", "Account administration"),
        ("document.", "文档", "Documents"),
        ("audit.", "审计查阅", "Audit reading"),
        ("system.", "系统", "System"),
    ];

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>A summary that opens with the actor's name (冯斌 登录…) reads once beside the name: 冯斌 登录….</summary>
    public static string WithoutName(string summary, string name) =>
        name.Length > 0 && summary.StartsWith(name + " ", StringComparison.Ordinal) ? summary[(name.Length + 1)..] : summary;

    public AuditVerification? Verification { get; private set; }

    public string? Actor { get; private set; }

    public string? Kind { get; private set; }

    public async Task OnGetAsync(string? actor, string? kind, bool? verify, CancellationToken cancellationToken)
    {
        Actor = string.IsNullOrWhiteSpace(actor) ? null : actor;
        Kind = Kinds.Any(k => k.Prefix == kind) ? kind : null;
        var who = User.ToActor().UserName;
        if (verify == true)
        {
            Verification = await audit.VerifyAndRecordAsync(who, clock.GetUtcNow(), cancellationToken);
        }
        else
        {
            await audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), who, AuditActions.AuditRead, null, null, "查阅审计记录 (audit log read)"), cancellationToken);
        }

        Entries = await audit.ListAsync(new AuditQuery(null, Actor, Kind), 300, cancellationToken);
    }
}
