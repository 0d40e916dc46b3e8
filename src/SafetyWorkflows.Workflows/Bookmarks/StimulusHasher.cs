using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Bookmarks;

/// <summary>
/// Elsa's bookmark and trigger hash: SHA-256 (upper-case hex) of the stimulus name, the payload serialised with
/// PascalCase property names, and the activity instance id, empty parts left out. Event and RunTask bookmarks leave
/// the activity instance id out so that they can be found from outside by name and payload alone.
/// </summary>
public static class StimulusHasher
{
    public static string Hash(string name, JsonObject? payload, string? activityInstanceId = null)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(name))
        {
            parts.Add(name);
        }

        if (payload is { Count: > 0 })
        {
            parts.Add(PascalCase(payload).ToJsonString());
        }

        if (!string.IsNullOrEmpty(activityInstanceId))
        {
            parts.Add(activityInstanceId);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts))));
    }

    private static JsonObject PascalCase(JsonObject payload)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in payload)
        {
            var pascal = key.Length > 0 ? char.ToUpperInvariant(key[0]) + key[1..] : key;
            copy[pascal] = value is JsonObject nested ? PascalCase(nested) : value?.DeepClone();
        }

        return copy;
    }
}
