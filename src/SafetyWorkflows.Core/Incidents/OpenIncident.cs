namespace SafetyWorkflows.Core.Incidents;

/// <summary>
/// An incident that stopped a workflow and waits for a retry: where (instance, activity, step), why (the fault's
/// message and the words officials read), when, which document, and who was told (user names).
/// </summary>
public sealed record OpenIncident(
    string Id,
    string WorkflowInstanceId,
    string DefinitionId,
    string ActivityId,
    string ActivityType,
    string Step,
    string Message,
    string Words,
    bool IsBudget,
    DateTimeOffset RaisedAt,
    Guid? DocumentId,
    string? Title,
    IReadOnlyList<string> Notified);
