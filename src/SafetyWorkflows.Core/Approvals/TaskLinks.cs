using System.Security.Cryptography;
using System.Text;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// A signed link (<c>/t/{token}</c>) that opens one task for one person without a password: a unit principal or a village
/// head signs, refuses with a reason or submits evidence from the notice on their phone. Only the SHA-256 of the token is
/// kept; the link ends when the task closes, 30 days after it was made, or when the safety office revokes it.
/// </summary>
public sealed class TaskLink
{
    private TaskLink()
    {
    }

    public TaskLink(Guid taskId, string userName, string tokenHash, DateTimeOffset createdAt)
    {
        Id = Guid.NewGuid();
        TaskId = taskId;
        UserName = userName;
        TokenHash = tokenHash;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + TaskLinks.Lifetime;
    }

    public Guid Id { get; private set; }

    public Guid TaskId { get; private set; }

    /// <summary>The one person the link acts as.</summary>
    public string UserName { get; private set; } = "";

    /// <summary>SHA-256 of the token, lower-case hex: the token itself is never stored.</summary>
    public string TokenHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public int Uses { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public void Revoke(string by, DateTimeOffset at)
    {
        if (RevokedAt is null)
        {
            (RevokedAt, RevokedBy) = (at, by);
        }
    }

    public void Used(DateTimeOffset at)
    {
        Uses++;
        LastUsedAt = at;
    }
}

public interface ITaskLinkRepository
{
    void Add(TaskLink link);

    Task<TaskLink?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<TaskLink>> ListForTaskAsync(Guid taskId, CancellationToken cancellationToken);

    Task SaveAsync(CancellationToken cancellationToken);
}

/// <summary>Why a link was refused; the page and the audit word it.</summary>
public enum LinkRefusal
{
    Unknown,
    Revoked,
    Expired,
    TaskClosed,
    OtherTask,
}

public sealed class TaskLinkRefusedException(LinkRefusal reason) : Exception($"task link refused: {reason}")
{
    public LinkRefusal Reason { get; } = reason;
}

/// <summary>Where a use of a link came from: recorded with every use and every refusal.</summary>
public readonly record struct LinkClient(string? Address, string? UserAgent)
{
    public override string ToString() => $"IP {Address ?? "?"}，UA {Truncate(UserAgent)}";

    private static string Truncate(string? text) => string.IsNullOrEmpty(text) ? "?" : text.Length > 300 ? text[..300] : text;
}

/// <summary>A link that was let in: the person it acts as and the task it opens.</summary>
public sealed record OpenedLink(TaskLink Link, ApprovalTask Task, Actor Actor);

/// <summary>Issues, opens and revokes signed task links; every use and refusal goes to the audit chain.</summary>
public sealed class TaskLinks(ITaskLinkRepository links, IApprovalTaskRepository tasks, IOrganisationDirectory directory, IAuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public const string PathPrefix = "/t/";

    /// <summary>Who gets a link with each task: the units' own people, who often have no account password at hand.</summary>
    public static readonly IReadOnlySet<string> LinkedRoles = new HashSet<string>(StringComparer.Ordinal) { Roles.UnitPrincipal, Roles.VillageHead };

    /// <summary>Of these assignees, the ones whose tasks come with a link.</summary>
    public async Task<IReadOnlyList<string>> WhoGetLinksAsync(IEnumerable<string> assignees, CancellationToken cancellationToken)
    {
        var linked = new List<string>();
        foreach (var assignee in assignees.Distinct(StringComparer.Ordinal))
        {
            if (await directory.FindOfficialAsync(assignee, cancellationToken) is { IsActive: true } official && official.Roles.Any(LinkedRoles.Contains))
            {
                linked.Add(assignee);
            }
        }

        return linked;
    }

    /// <summary>A new link for the task's assignee (joins the unit of work); the path carries the token, which is not kept.</summary>
    public string Issue(ApprovalTask task, DateTimeOffset at)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        links.Add(new TaskLink(task.Id, task.Assignee, Hash(token), at));
        return PathPrefix + token;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// Lets the link in for <paramref name="purpose"/> (open, sign, refuse, upload, submit) on <paramref name="taskId"/> (the
    /// task the page was showing; null: the link's own), or refuses it; either way the audit records it with the client.
    /// </summary>
    public async Task<OpenedLink> OpenAsync(string? token, Guid? taskId, string purpose, LinkClient client, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var link = string.IsNullOrEmpty(token) || token.Length > 100 ? null : await links.FindByHashAsync(Hash(token), cancellationToken);
        var task = link is null ? null : await tasks.FindAsync(link.TaskId, cancellationToken);
        var official = link is null ? null : await directory.FindOfficialAsync(link.UserName, cancellationToken);
        LinkRefusal? refusal = link is null || task is null || official is null || !official.IsActive ? LinkRefusal.Unknown
            : link.IsRevoked ? LinkRefusal.Revoked
            : now >= link.ExpiresAt ? LinkRefusal.Expired
            : taskId is { } asked && asked != link.TaskId ? LinkRefusal.OtherTask
            : !task.IsOpen || task.Assignee != link.UserName ? LinkRefusal.TaskClosed
            : null;
        if (refusal is { } reason)
        {
            await audit.RecordAsync(new AuditEntry(now, link?.UserName ?? "anonymous", AuditActions.TaskLinkRefused, task?.DocumentId, null,
                $"签名链接被拒绝（{Words(reason)}）：{purpose}，任务 {taskId?.ToString() ?? link?.TaskId.ToString() ?? "?"}，{client}"), cancellationToken);
            throw new TaskLinkRefusedException(reason);
        }

        link!.Used(now);
        audit.Append(new AuditEntry(now, link.UserName, AuditActions.TaskLinkUsed, task!.DocumentId, null,
            $"签名链接：{purpose}，任务“{task.Step}”（{task.Id}），{client}"));
        await links.SaveAsync(cancellationToken);
        return new OpenedLink(link, task, new Actor(official!.UserName, official.DisplayName, official.Roles.ToHashSet(StringComparer.Ordinal), official.UnitId));
    }

    /// <summary>The safety office revokes every live link of a task (a lost phone, a forwarded message).</summary>
    public async Task<int> RevokeAsync(Guid taskId, Actor actor, CancellationToken cancellationToken)
    {
        EnsureSafetyOffice(actor);
        var task = await tasks.FindAsync(taskId, cancellationToken) ?? throw new NotFoundException($"任务 {taskId} 不存在 (task not found).");
        var now = clock.GetUtcNow();
        var revoked = 0;
        foreach (var link in (await links.ListForTaskAsync(taskId, cancellationToken)).Where(l => !l.IsRevoked))
        {
            link.Revoke(actor.UserName, now);
            revoked++;
        }

        audit.Append(new AuditEntry(now, actor.UserName, AuditActions.TaskLinkRevoked, task.DocumentId, null, $"撤销签名链接 {revoked} 个：任务“{task.Step}”（{task.Id}）"));
        await links.SaveAsync(cancellationToken);
        return revoked;
    }

    public async Task<IReadOnlyList<TaskLink>> ListAsync(Guid taskId, Actor actor, CancellationToken cancellationToken)
    {
        EnsureSafetyOffice(actor);
        _ = await tasks.FindAsync(taskId, cancellationToken) ?? throw new NotFoundException($"任务 {taskId} 不存在 (task not found).");
        return await links.ListForTaskAsync(taskId, cancellationToken);
    }

    public static bool IsSafetyOffice(Actor actor) => actor.IsAdmin || actor.HasRole(Roles.SafetyHead) || actor.HasRole(Roles.SafetyClerk);

    private static void EnsureSafetyOffice(Actor actor)
    {
        if (!IsSafetyOffice(actor))
        {
            throw new ForbiddenException("仅安办可以管理签名链接 (only the safety office manages task links).");
        }
    }

    public static string Words(LinkRefusal reason) => reason switch
    {
        LinkRefusal.Revoked => "已撤销",
        LinkRefusal.Expired => "已过期",
        LinkRefusal.TaskClosed => "任务已办结",
        LinkRefusal.OtherTask => "不是本链接的任务",
        _ => "链接无效",
    };
}
