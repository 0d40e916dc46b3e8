using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>One literal assignee of a task step that resolves to nobody in the organisation as it is now.</summary>
public sealed record AssigneeWarning(string ActivityId, string Step, string Assignee, string Message);

/// <summary>
/// Publishing warns, never refuses, when a literal assignee (role, unit, official) of a task step resolves to nobody:
/// the organisation may still change, and at run time such a step goes to the safety head (see
/// <see cref="AssigneeFallback"/>). Expressions are evaluated only when the step runs, so they are not checked here.
/// </summary>
public sealed class AssigneeWarnings(IAssigneeResolver resolver)
{
    private static readonly HashSet<string> StepTypes = new(StringComparer.Ordinal)
    {
        RequestApproval.ApprovalType, RequestApproval.SignatureType, RequestApproval.SubmissionType,
    };

    public async Task<IReadOnlyList<AssigneeWarning>> CheckAsync(Workflow workflow, CancellationToken cancellationToken)
    {
        var warnings = new List<AssigneeWarning>();
        foreach (var node in workflow.AllNodes.Where(n => StepTypes.Contains(n.Type)).OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            var step = node.Name ?? node.Id;
            foreach (var entry in LiteralEntries(node))
            {
                if ((await resolver.ResolveAsync([entry], cancellationToken)).Count == 0)
                {
                    warnings.Add(new AssigneeWarning(node.Id, step, entry,
                        $"步骤“{step}”的办理人“{entry}”目前无人可指派，运行时将转安办负责人 " +
                        $"(assignee '{entry}' of step '{step}' resolves to nobody; at run time the step goes to the head of the safety office)"));
                }
            }
        }

        return warnings;
    }

    /// <summary>The entries of a Literal or Object <c>assignees</c> input: a JSON array, or a comma-separated list.</summary>
    private static IEnumerable<string> LiteralEntries(ActivityNode node)
    {
        var expression = JsonRead.AsObject(node.Input("assignees"))?.GetObject("expression");
        if (expression?.GetString("type") is not ("Literal" or "Object") || JsonRead.AsString(expression.Get("value")) is not { } text)
        {
            return [];
        }

        var items = JsonRead.TryParse(text) is System.Text.Json.Nodes.JsonArray array
            ? array.Select(JsonRead.AsString).OfType<string>()
            : text.Split([',', '，', '\n'], StringSplitOptions.None);
        return items.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal);
    }
}
