namespace SafetyWorkflows.Core.Documents;

/// <summary>The content approval status of a document. It changes only through <see cref="Document"/>'s methods.</summary>
public enum DocumentStatus
{
    Draft,
    Pending,
    Approved,
    Rejected,
    Published,
    Signed,
    Closed,
    Archived,
}
