namespace SafetyWorkflows.Core.Approvals;

/// <summary>A step's outcome as the office says it (同意, 不同意, 退回, 已签字, 拒签, 已报送); a chain's own outcome as written.</summary>
public static class TaskOutcomes
{
    public const string SendBackPrefix = "SentBack:";

    public static string Words(string? outcome, bool english = false) => (outcome, english) switch
    {
        (null, _) => "",
        ("Approved", false) => "同意",
        ("Rejected", false) => "不同意",
        ("SentBack", false) => "退回",
        ("Signed", false) => "已签字",
        ("Refused", false) => "拒签",
        ("Submitted", false) => "已报送",
        (RequestApproval.TimedOut, false) => "超时",
        (Incidents.IncidentFacts.ResumedOutcome, false) => "已恢复运行",
        ("Approved", true) => "Approved",
        ("Rejected", true) => "Rejected",
        ("SentBack", true) => "Sent back",
        ("Signed", true) => "Signed",
        ("Refused", true) => "Refused to sign",
        ("Submitted", true) => "Submitted",
        (RequestApproval.TimedOut, true) => "Timed out",
        (Incidents.IncidentFacts.ResumedOutcome, true) => "Running again",
        _ when outcome.StartsWith(SendBackPrefix, StringComparison.Ordinal) => english ? "Sent back" : "退回",
        _ => outcome,
    };
}
