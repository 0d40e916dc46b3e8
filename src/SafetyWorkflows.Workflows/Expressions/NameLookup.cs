namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>Finds an entry by name: an exact match first, then ignoring case (designers write names in either case).</summary>
internal static class NameLookup
{
    public static bool TryFind<T>(IReadOnlyDictionary<string, T> entries, string key, out T? value)
    {
        if (entries.TryGetValue(key, out value))
        {
            return true;
        }

        foreach (var (candidate, candidateValue) in entries)
        {
            if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                value = candidateValue;
                return true;
            }
        }

        return false;
    }
}
