using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Identity;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    Throttled,
}

/// <summary>Where a sign-in comes from and what it will be carried in (<c>cookie</c> or <c>token</c>).</summary>
public sealed record SignInSource(string Kind, string? Address, string? UserAgent, TimeSpan Lifetime);

/// <param name="RetryAfter">When the next attempt under this name or address will be judged (zero when it may come now).</param>
public sealed record SignInResult(SignInOutcome Outcome, Official? Official = null, SignInSession? Session = null, TimeSpan RetryAfter = default);

/// <summary>What a cookie or token still grants: nothing once its session was revoked or its person's stamp moved on.</summary>
public sealed record SessionState(bool Valid, bool MustChangePassword);

/// <summary>
/// Local accounts: sign-in with throttling and lock-out, sessions that can be revoked, and the owner's password change.
/// Every attempt costs the same whether or not the name exists (a known hash or a stand-in is always checked, and failures
/// are counted per name either way), so neither the answer nor its timing tells which user names exist.
/// </summary>
public sealed class AccountService(SafetyDbContext db, TimeProvider clock, IOptions<SecurityOptions> options)
{
    public const string CookieKind = "cookie";
    public const string TokenKind = "token";

    // Attempts under the same name or address are judged one at a time in this process, so parallel guesses meet the
    // back-off too. Striped, so that a flood of invented names cannot grow a table of locks.
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private static readonly Lazy<string> StandInHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    private static long _nextPurgeTicks;

    private SignInOptions Limits => options.Value.SignIn;

    public Task<SignInResult> SignInAsync(string userName, string password, SignInSource source, CancellationToken cancellationToken) =>
        ThrottledAsync(userName, password, source, openSession: true, cancellationToken);

    private async Task<SignInResult> ThrottledAsync(string userName, string password, SignInSource source, bool openSession, CancellationToken cancellationToken)
    {
        var keys = ThrottleKeys(userName, source.Address);
        var stripes = keys.Select(k => (int)((uint)StringComparer.Ordinal.GetHashCode(k) % (uint)Stripes.Length)).Distinct().Order().ToList();
        foreach (var stripe in stripes)
        {
            await Stripes[stripe].WaitAsync(cancellationToken);
        }

        try
        {
            await PurgeStaleAsync(cancellationToken);
            return await JudgeAsync(userName, password, source, keys, openSession, cancellationToken);
        }
        finally
        {
            foreach (var stripe in stripes)
            {
                Stripes[stripe].Release();
            }
        }
    }

    private async Task<SignInResult> JudgeAsync(
        string userName, string password, SignInSource source, string[] keys, bool openSession, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var throttles = await db.SignInThrottles.Where(t => keys.Contains(t.Key)).ToListAsync(cancellationToken);
        var name = Printable(userName);
        var blockedUntil = throttles.Select(t => t.BlockedUntil).DefaultIfEmpty(now).Max();
        if (blockedUntil > now)
        {
            db.AppendAudit(new AuditEntry(now, "anonymous", AuditActions.SignInThrottled, null, null,
                $"登录尝试过于频繁，未受理：用户名 {name}，地址 {source.Address} (sign-in refused while throttled)"));
            await db.SaveChangesAsync(cancellationToken);
            return new SignInResult(SignInOutcome.Throttled, RetryAfter: blockedUntil - now);
        }

        var official = await db.Officials.FirstOrDefaultAsync(o => o.UserName == userName, cancellationToken);
        var passwordMatches = PasswordHasher.Verify(password, official?.PasswordHash ?? StandInHash.Value);
        if (official is { IsActive: true } && passwordMatches)
        {
            db.SignInThrottles.RemoveRange(throttles.Where(t => t.Key == keys[0]));
            if (!openSession)
            {
                return new SignInResult(SignInOutcome.Succeeded, official);
            }

            official.RecordSignIn(now);
            var session = new SignInSession
            {
                Id = Guid.NewGuid(),
                UserName = official.UserName,
                Kind = source.Kind,
                CreatedAt = now,
                ExpiresAt = now + source.Lifetime,
                Address = Clip(source.Address, 64),
                UserAgent = Clip(source.UserAgent, 256),
            };
            db.SignInSessions.Add(session);
            db.AppendAudit(new AuditEntry(now, official.UserName, AuditActions.SignIn, null, null,
                $"{official.DisplayName} 登录（{(source.Kind == TokenKind ? "接口令牌" : "网页")}，地址 {source.Address}）"));
            await db.SaveChangesAsync(cancellationToken);
            return new SignInResult(SignInOutcome.Succeeded, official, session);
        }

        var retryAfter = CountFailure(keys, throttles, now, name, source.Address, official?.UserName);
        db.AppendAudit(new AuditEntry(now, official?.UserName ?? "anonymous", AuditActions.SignInFailed, null, null,
            $"登录失败：用户名 {name}，地址 {source.Address}{(official is { IsActive: false } ? "（账号已停用）" : "")} (sign-in failed)"));
        await db.SaveChangesAsync(cancellationToken);
        return new SignInResult(SignInOutcome.Failed, RetryAfter: retryAfter);
    }

    /// <summary>
    /// At most every ten minutes per process: forget failure counts that ran out and sessions long expired, so that a flood
    /// of invented names or tokens does not grow the tables for ever. Revoked sessions are kept until they expire.
    /// </summary>
    private async Task PurgeStaleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var next = Interlocked.Read(ref _nextPurgeTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextPurgeTicks, (now + TimeSpan.FromMinutes(10)).UtcTicks, next) != next)
        {
            return;
        }

        var forgotten = now - TimeSpan.FromMinutes(Limits.LockoutMinutes);
        await db.SignInThrottles.Where(t => t.LastFailureAt < forgotten && t.BlockedUntil < now).ExecuteDeleteAsync(cancellationToken);
        var expired = now - TimeSpan.FromDays(1);
        await db.SignInSessions.Where(s => s.ExpiresAt < expired).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Counts one failure under the name and the address; returns how long the name must now wait.</summary>
    private TimeSpan CountFailure(string[] keys, List<SignInThrottle> throttles, DateTimeOffset now, string name, string? address, string? knownUser)
    {
        var lockout = TimeSpan.FromMinutes(Limits.LockoutMinutes);
        var wait = TimeSpan.Zero;
        for (var i = 0; i < keys.Length; i++)
        {
            var row = throttles.FirstOrDefault(t => t.Key == keys[i]);
            if (row is null)
            {
                row = new SignInThrottle { Key = keys[i] };
                db.SignInThrottles.Add(row);
            }
            else if (now - row.LastFailureAt > lockout)
            {
                row.Failures = 0;
            }

            row.Failures++;
            row.LastFailureAt = now;
            var isName = i == 0;
            var limit = isName ? Limits.MaxFailures : Limits.MaxFailuresPerAddress;
            if (row.Failures >= limit)
            {
                row.BlockedUntil = now + lockout;
                db.AppendAudit(new AuditEntry(now, knownUser ?? "anonymous", AuditActions.Locked, null, null, isName
                    ? $"用户名 {name} 连续登录失败 {row.Failures} 次，锁定 {Limits.LockoutMinutes} 分钟 (user name locked)"
                    : $"地址 {address} 登录失败 {row.Failures} 次，锁定 {Limits.LockoutMinutes} 分钟 (address locked)"));
            }
            else if (isName && row.Failures >= 2)
            {
                // One slip is free; from the second failure on, each next attempt waits twice as long as the last.
                var seconds = Math.Min(Limits.BackoffSeconds * Math.Pow(2, row.Failures - 2), Limits.MaxBackoffSeconds);
                row.BlockedUntil = now + TimeSpan.FromSeconds(seconds);
            }

            if (row.BlockedUntil - now > wait)
            {
                wait = row.BlockedUntil - now;
            }
        }

        return wait;
    }

    /// <summary>The session and its person's standing: read on every request that carries a cookie or token, so compiled once per model.</summary>
    private static readonly CompiledPerModel<Func<SafetyDbContext, Guid, CancellationToken, Task<SessionRow?>>> SessionQuery = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, Guid sessionId, CancellationToken _) => (
                from session in db.SignInSessions.AsNoTracking()
                join official in db.Officials.AsNoTracking() on session.UserName equals official.UserName
                where session.Id == sessionId
                select new SessionRow(session.UserName, session.RevokedAt, session.ExpiresAt, official.IsActive, official.SecurityStamp, official.MustChangePassword))
            .FirstOrDefault()));

    private sealed record SessionRow(string UserName, DateTimeOffset? RevokedAt, DateTimeOffset ExpiresAt, bool IsActive, string SecurityStamp, bool MustChangePassword);

    /// <summary>Whether the session a cookie or token names is still alive, for the person it names, on the stamp it carries.</summary>
    public async Task<SessionState> CheckSessionAsync(string userName, Guid sessionId, string stamp, CancellationToken cancellationToken)
    {
        var row = await SessionQuery.For(db)(db, sessionId, cancellationToken);
        var valid = row is { RevokedAt: null, IsActive: true } && row.UserName == userName && row.SecurityStamp == stamp
            && row.ExpiresAt > clock.GetUtcNow();
        return new SessionState(valid, valid && row!.MustChangePassword);
    }

    /// <summary>Logging out: the session this cookie or token names ends now, whatever copies of it exist.</summary>
    public async Task SignOutAsync(string userName, Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await db.SignInSessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.UserName == userName, cancellationToken);
        if (session is null || session.RevokedAt is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        session.RevokedAt = now;
        db.AppendAudit(new AuditEntry(now, userName, AuditActions.SignOut, null, null, $"退出登录（{(session.Kind == TokenKind ? "接口令牌" : "网页")}）"));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The owner changes their password. A wrong current password counts as a failed sign-in (it is a guess too);
    /// a change ends every session of the person, this one included.</summary>
    public async Task ChangeOwnPasswordAsync(string userName, string? currentPassword, string? newPassword, string? address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(currentPassword))
        {
            throw new InputValidationException("currentPassword", "请输入当前密码 (currentPassword is required).");
        }

        if (string.IsNullOrEmpty(newPassword))
        {
            throw new InputValidationException("newPassword", "请输入新密码 (newPassword is required).");
        }

        var checkedCurrent = await ThrottledAsync(userName, currentPassword, new SignInSource("check", address, null, TimeSpan.Zero), openSession: false, cancellationToken);
        switch (checkedCurrent.Outcome)
        {
            case SignInOutcome.Throttled:
                throw new SignInThrottledException(checkedCurrent.RetryAfter);
            case SignInOutcome.Failed:
                throw new InputValidationException("currentPassword", "当前密码不正确 (the current password is wrong).");
        }

        var official = checkedCurrent.Official!;
        if (PasswordPolicy.Check(newPassword, official.UserName, options.Value.Password) is { } problem)
        {
            throw new InputValidationException("newPassword", problem);
        }

        if (PasswordHasher.Verify(newPassword, official.PasswordHash))
        {
            throw new InputValidationException("newPassword", "新密码不能与当前密码相同 (the new password must differ from the current one).");
        }

        var now = clock.GetUtcNow();
        official.ChangePassword(PasswordHasher.Hash(newPassword), now);
        db.AppendAudit(new AuditEntry(now, official.UserName, AuditActions.PasswordChanged, null, null,
            $"{official.DisplayName} 修改了密码，其全部登录随之失效 (password changed; every session ended)"));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string[] ThrottleKeys(string userName, string? address) =>
        [$"user:{Clip(userName.Trim().ToLowerInvariant(), 150)}", $"addr:{address ?? "unknown"}"];

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    /// <summary>A user name as typed, fit to be written into the audit: control characters dropped, at most 64 characters.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).Take(64))
        {
            builder.Append(c);
        }

        return builder.ToString();
    }
}

/// <summary>Too many failed sign-ins under this name or address: try again after <see cref="RetryAfter"/> (HTTP 429).</summary>
public sealed class SignInThrottledException(TimeSpan retryAfter) : Exception(Describe(retryAfter))
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public static string Describe(TimeSpan wait)
    {
        if (wait < TimeSpan.FromMinutes(1))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return $"登录失败次数过多，请 {seconds} 秒后再试 (too many failed sign-ins: try again in {seconds} s).";
        }

        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        return $"登录失败次数过多，请 {minutes} 分钟后再试 (too many failed sign-ins: try again in {minutes} min).";
    }
}
