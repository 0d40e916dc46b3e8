using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// A chain never stops on "no assignee": when a step's assignees resolve to nobody (or only to the submitter), the step
/// goes to the head of the safety office with a note saying so. Only when there is no safety head either does the step
/// fault, as it always did.
/// </summary>
public static class AssigneeFallback
{
    /// <summary>The step property that carries the note to every task the step creates (serial steps create them later).</summary>
    public const string NoteProperty = "assignmentNote";

    public static async Task<(List<string> Assignees, string? Note)> ResolveAsync(
        IAssigneeResolver resolver, IOrganisationDirectory directory, IReadOnlyList<string> entries, string step, string submittedBy, CancellationToken cancellationToken)
    {
        var assignees = (await resolver.ResolveAsync(entries, cancellationToken)).Where(a => a != submittedBy).ToList();
        if (assignees.Count > 0)
        {
            return (assignees, null);
        }

        var heads = (await resolver.ResolveAsync([$"role:{Roles.SafetyHead}"], cancellationToken)).Where(a => a != submittedBy).ToList();
        if (heads.Count == 0)
        {
            throw new InvalidOperationException($"步骤“{step}”没有可指派的办理人 (step '{step}' has no assignee other than the submitter).");
        }

        return (heads, await NoteAsync(directory, entries, cancellationToken));
    }

    /// <summary>The note, naming the intended assignees as people read them (红星村, 检查员/网格员, 吴杰), never by their codes.</summary>
    public static async Task<string> NoteAsync(IOrganisationDirectory directory, IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        var zh = new List<string>();
        var en = new List<string>();
        var roles = await directory.ListRolesAsync(cancellationToken);
        foreach (var entry in entries)
        {
            var (kind, key) = entry.IndexOf(':') is var colon and > 0 ? (entry[..colon], entry[(colon + 1)..]) : ("", entry);
            if (kind == "unit" && await directory.FindUnitAsync(key, cancellationToken) is { } unit)
            {
                zh.Add(unit.Name);
                en.Add(unit.NameEn ?? unit.Name);
            }
            else if (roles.FirstOrDefault(r => r.Key == key) is { } role && kind is "" or "role")
            {
                zh.Add(role.Name);
                en.Add(role.NameEn);
            }
            else if (kind is "" or "user" && await directory.FindOfficialAsync(key, cancellationToken) is { } official)
            {
                zh.Add(official.DisplayName);
                en.Add(official.DisplayName);
            }
            else
            {
                zh.Add(entry);
                en.Add(entry);
            }
        }

        var named = zh.Count == 0 ? "未指定" : string.Join("、", zh);
        var namedEn = en.Count == 0 ? "none named" : string.Join(", ", en);
        return $"原定办理人（{named}）无人可指派，已转安办负责人 (no one could be assigned as {namedEn}; passed to the head of the safety office)";
    }
}
