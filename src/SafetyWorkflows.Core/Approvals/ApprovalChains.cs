using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>Which workflow definition a library's documents run when submitted. The ids are a contract (file names in workflows/).</summary>
public static class ApprovalChains
{
    public const string ResponsibilityLetter = "responsibility-letter";
    public const string EmergencyPlanRevision = "emergency-plan-revision";
    public const string RectificationOrder = "rectification-order";

    public static string ForLibrary(string libraryKey) => libraryKey switch
    {
        Libraries.ResponsibilityLetters => ResponsibilityLetter,
        Libraries.EmergencyPlans => EmergencyPlanRevision,
        Libraries.RectificationOrders => RectificationOrder,
        _ => throw new ArgumentOutOfRangeException(nameof(libraryKey), libraryKey, "no approval chain for this library"),
    };
}
