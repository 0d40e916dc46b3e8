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
        IAssigneeResolver resolver, IReadOnlyList<string> entries, string step, string submittedBy, CancellationToken cancellationToken)
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

        return (heads, Note(entries));
    }

    public static string Note(IReadOnlyList<string> entries)
    {
        var named = entries.Count == 0 ? "未指定" : string.Join("、", entries);
        var namedEn = entries.Count == 0 ? "none named" : string.Join(", ", entries);
        return $"原定办理人（{named}）无人可指派，已转安办负责人 (no one could be assigned as {namedEn}; passed to the head of the safety office)";
    }
}
