using System.Text.Json.Nodes;

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
}
