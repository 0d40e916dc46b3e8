using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>The JSON conventions of Elsa's API and of our persisted state: camelCase, enums as strings, nulls left out.</summary>
public static class WorkflowJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(WorkflowState state) => JsonSerializer.Serialize(state, Options);

    public static WorkflowState Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowState>(json, Options) ?? throw new JsonException("empty workflow state");
}
