using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Identity;

/// <summary>An account as the security administrator sees it.</summary>
public sealed record AccountView(
    Official Official, bool Locked, DateTimeOffset? LockedUntil, int OpenSessions);

/// <summary>The security administrator's (安全管理员) work: accounts, roles and sessions. Every act is audited under their
/// name; none applies to their own account (another security administrator does that), so one person cannot widen their
/// own rights or hide their own traces.</summary>
public sealed class AccountAdministration(SafetyDbContext db, TimeProvider clock, IOptions<SecurityOptions> options)
{
    public async Task<IReadOnlyList<AccountView>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        Require(actor);
        var now = clock.GetUtcNow();
        // The three administrators first, then unit by unit.
        var officials = (await db.Officials.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(o => o.Roles.Any(Roles.ThreeAdministrators.Contains) ? 0 : 1).ThenBy(o => o.UnitId, StringComparer.Ordinal)
            .ThenBy(o => o.DisplayName, StringComparer.Ordinal).ToList();
        var locks = (await db.SignInThrottles.AsNoTracking().Where(t => t.Key.StartsWith("user:")).ToListAsync(cancellationToken))
            .Where(t => t.BlockedUntil > now && t.Failures >= options.Value.SignIn.MaxFailures)
            .ToDictionary(t => t.Key[5..], t => t.BlockedUntil, StringComparer.Ordinal);
        var sessions = (await db.SignInSessions.AsNoTracking().Where(s => s.RevokedAt == null)
                .Select(s => new { s.UserName, s.ExpiresAt }).ToListAsync(cancellationToken))
            .Where(s => s.ExpiresAt > now)
            .GroupBy(s => s.UserName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return officials.Select(o =>
        {
            var lockedUntil = locks.TryGetValue(o.UserName.ToLowerInvariant(), out var until) ? until : (DateTimeOffset?)null;
            return new AccountView(o, lockedUntil is not null, lockedUntil, sessions.GetValueOrDefault(o.UserName));
        }).ToList();
    }

    public Task DeactivateAsync(Actor actor, string userName, CancellationToken cancellationToken) =>
        ChangeAsync(actor, userName, AuditActions.Deactivated, official =>
        {
            official.Deactivate();
            return $"停用账号 {official.DisplayName}，其全部登录随之失效 (account deactivated)";
        }, cancellationToken);

    public Task ActivateAsync(Actor actor, string userName, CancellationToken cancellationToken) =>
        ChangeAsync(actor, userName, AuditActions.Activated, official =>
        {
            official.Activate();
            return $"启用账号 {official.DisplayName} (account activated)";
        }, cancellationToken);

    public Task RevokeSessionsAsync(Actor actor, string userName, CancellationToken cancellationToken) =>
        ChangeAsync(actor, userName, AuditActions.SessionsRevoked, official =>
        {
            official.RevokeSessions();
            return $"强制 {official.DisplayName}退出全部登录 (every session ended)";
        }, cancellationToken);

    /// <summary>Sets a temporary password (the one given, if it meets the policy, or a random one) that must be changed at
    /// the next sign-in; ends every session and lifts a lock-out. Returns the temporary password, shown once.</summary>
    public async Task<string> ResetPasswordAsync(Actor actor, string userName, string? temporaryPassword, CancellationToken cancellationToken)
    {
        var password = string.IsNullOrEmpty(temporaryPassword) ? PasswordPolicy.Temporary() : temporaryPassword;
        if (PasswordPolicy.Check(password, userName, options.Value.Password) is { } problem)
        {
            throw new InputValidationException("temporaryPassword", problem);
        }

        await ChangeAsync(actor, userName, AuditActions.PasswordReset, official =>
        {
            official.ResetPassword(PasswordHasher.Hash(password), clock.GetUtcNow());
            db.SignInThrottles.RemoveRange(db.SignInThrottles.Where(t => t.Key == $"user:{official.UserName.ToLowerInvariant()}"));
            return $"重置 {official.DisplayName}的密码，下次登录须修改 (password reset; must be changed at next sign-in)";
        }, cancellationToken);
        return password;
    }

    public async Task SetRolesAsync(Actor actor, string userName, IReadOnlyList<string>? roles, CancellationToken cancellationToken)
    {
        if (roles is null)
        {
            throw new InputValidationException("roles", "请给出角色列表 (roles is required).");
        }

        var known = await db.RoleDefinitions.AsNoTracking().Select(r => r.Key).ToListAsync(cancellationToken);
        if (roles.FirstOrDefault(r => !known.Contains(r)) is { } unknown)
        {
            throw new InputValidationException("roles", $"没有角色 {unknown} (unknown role '{unknown}').");
        }

        if (roles.Count(Roles.ThreeAdministrators.Contains) > 1)
        {
            throw new InputValidationException("roles",
                "系统管理员、安全管理员、审计管理员不能由同一人兼任 (admin, security-admin and audit-admin are never held by one person).");
        }

        await ChangeAsync(actor, userName, AuditActions.RolesChanged, official =>
        {
            var before = string.Join(",", official.Roles);
            official.ChangeRoles(roles);
            return $"{official.DisplayName}的角色由 [{before}] 改为 [{string.Join(",", official.Roles)}]，其登录随之失效 (roles changed)";
        }, cancellationToken);
    }

    /// <summary>Lifts a lock-out (and any back-off) on the person's user name before it runs out.</summary>
    public Task UnlockAsync(Actor actor, string userName, CancellationToken cancellationToken) =>
        ChangeAsync(actor, userName, AuditActions.Unlocked, official =>
        {
            db.SignInThrottles.RemoveRange(db.SignInThrottles.Where(t => t.Key == $"user:{official.UserName.ToLowerInvariant()}"));
            return $"解除 {official.DisplayName}的登录锁定 (lock-out lifted)";
        }, cancellationToken);

    private async Task ChangeAsync(Actor actor, string userName, string action, Func<Official, string> change, CancellationToken cancellationToken)
    {
        Require(actor);
        var official = await db.Officials.FirstOrDefaultAsync(o => o.UserName == userName, cancellationToken)
            ?? throw new NotFoundException($"没有用户 {userName} (no official '{userName}').");
        if (official.UserName == actor.UserName)
        {
            throw new DomainException("不能对自己的账号做此操作，请由另一位安全管理员办理 (not on your own account: another security administrator does that).");
        }

        var summary = change(official);
        db.AppendAudit(new AuditEntry(clock.GetUtcNow(), actor.UserName, action, null, null, summary));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Require(Actor actor)
    {
        if (!actor.HasRole(Roles.SecurityAdmin))
        {
            throw new ForbiddenException("只有安全管理员可以管理账号 (only the security administrator manages accounts).");
        }
    }
}
