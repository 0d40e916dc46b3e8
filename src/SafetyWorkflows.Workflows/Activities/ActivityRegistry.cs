using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>An activity type the runtime can run: its Elsa type name, version, behaviour and designer descriptor.</summary>
public sealed record ActivityRegistration(string TypeName, int Version, IActivity Behaviour, JsonObject? Descriptor);

/// <summary>The activity types known to the runtime (Elsa's core activities plus those the host registers).</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, ActivityRegistration> _byType;

    public ActivityRegistry(IEnumerable<ActivityRegistration> registrations) =>
        _byType = registrations.GroupBy(r => r.TypeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Version).First(), StringComparer.Ordinal);

    public IReadOnlyCollection<ActivityRegistration> All => _byType.Values;

    /// <summary>Finds a type; like Elsa, a version we do not have falls back to the latest version of that type.</summary>
    public ActivityRegistration? Find(string typeName) => _byType.GetValueOrDefault(typeName);

    /// <summary>
    /// The registration for an activity JSON: its registered type, or, for an unregistered type that names a
    /// <c>workflowDefinitionId</c>, a workflow used as an activity (Elsa gives those their definition's name as type).
    /// </summary>
    public ActivityRegistration? Find(JsonObject activity) =>
        activity.GetString("type") is not { } type ? null
        : Find(type) ?? (WorkflowDefinitionActivities.IsWorkflowActivity(activity)
            ? new ActivityRegistration(type, activity.GetInt("version") ?? 1, WorkflowActivity, null)
            : null);

    private static readonly WorkflowDefinitionActivity WorkflowActivity = new();
}
