using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Who a task may go to. A hand-over (转办, 加签, 委托, 抄送) gives the receiver the document through the task, so it may
/// only go to an active official who could see that document anyway (<see cref="DocumentAccess"/>): a unit principal
/// cannot pass a company's order to the head of another village.
/// </summary>
public static class TaskAccess
{
    public static Actor AsActor(Official official) =>
        new(official.UserName, official.DisplayName, official.Roles.ToHashSet(StringComparer.Ordinal), official.UnitId);

    /// <summary>Whether <paramref name="official"/> may receive a task on <paramref name="document"/> (any active official when there is none).</summary>
    public static bool CanReceive(Official official, Document? document) =>
        official.IsActive && (document is null || DocumentAccess.CanSee(AsActor(official), document));
}
