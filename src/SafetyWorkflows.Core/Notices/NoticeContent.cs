namespace SafetyWorkflows.Core.Notices;

/// <summary>Everything printed on a notice, composed from the document's metadata and its decisions; the renderer only lays it out.</summary>
public sealed record NoticeContent(
    string Authority,
    string Title,
    string Number,
    string? Addressee,
    IReadOnlyList<string> Paragraphs,
    IReadOnlyList<NoticeParty> Parties,
    IReadOnlyList<NoticeSignature> Signatures,
    string IssuedOn,
    string VerifyUrl,
    string DocumentTitle,
    string DocumentVersion);

/// <summary>A party that signs a 责任书 (甲方, 乙方) with the person who signed for it.</summary>
public sealed record NoticeParty(string Role, string Name, string? SignedBy, string? SignedOn);

/// <summary>One decision printed as a signature block: the step, who decided, when, and their registered signature image.</summary>
public sealed record NoticeSignature(string Step, string Name, string DecidedAt, byte[]? Image);

/// <summary>A decision on the document's chain that a notice shows (approve or sign).</summary>
public sealed record NoticeDecision(string Step, string UserName, string DisplayName, string Action, DateTimeOffset At);
