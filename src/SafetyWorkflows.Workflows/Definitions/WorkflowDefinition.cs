using System.Text.Json.Nodes;

namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>
/// One version of an Elsa 3 workflow definition, mirroring Elsa's <c>WorkflowDefinitionModel</c> JSON. Known fields are
/// typed; everything else (unknown top-level keys, the whole <see cref="Root"/> activity tree with its
/// <c>customProperties</c> and <c>metadata</c>) is kept as JSON so that it survives a round trip unchanged.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>The id of this version (Elsa's <c>id</c>; instances call it <c>definitionVersionId</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The logical id shared by all versions.</summary>
    public required string DefinitionId { get; init; }

    public string? TenantId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public int Version { get; init; } = 1;

    public string? ToolVersion { get; init; }

    public IReadOnlyList<VariableDefinition> Variables { get; init; } = [];

    public IReadOnlyList<ArgumentDefinition> Inputs { get; init; } = [];

    public IReadOnlyList<ArgumentDefinition> Outputs { get; init; } = [];

    public IReadOnlyList<string> Outcomes { get; init; } = [];

    public JsonObject CustomProperties { get; init; } = [];

    public bool IsReadonly { get; init; }

    public bool IsSystem { get; init; }

    public bool IsLatest { get; init; }

    public bool IsPublished { get; init; }

    public WorkflowOptions Options { get; init; } = new();

    /// <summary>The root activity (an <c>Elsa.Flowchart</c> for runnable definitions), exactly as read.</summary>
    public required JsonObject Root { get; init; }

    /// <summary>Top-level keys this model does not know, kept for the round trip.</summary>
    public JsonObject Extra { get; init; } = [];
}

/// <summary>A workflow or container variable (<c>VariableDefinition</c>): <see cref="Value"/> is the default as a string.</summary>
public sealed record VariableDefinition(
    string Id,
    string Name,
    string TypeName,
    bool IsArray,
    string? Value,
    string? StorageDriverTypeName)
{
    public JsonObject Extra { get; init; } = [];
}

/// <summary>A workflow input (<c>InputDefinition</c>) or output (<c>OutputDefinition</c>); all fields kept as read.</summary>
public sealed record ArgumentDefinition(string Name, string Type, bool IsArray, JsonObject Json);

/// <summary>Elsa's <c>WorkflowOptions</c>.</summary>
public sealed record WorkflowOptions
{
    public string? ActivationStrategyType { get; init; }

    public bool? UsableAsActivity { get; init; }

    public bool AutoUpdateConsumingWorkflows { get; init; }

    public string? ActivityCategory { get; init; }

    public string? IncidentStrategyType { get; init; }

    public string? CommitStrategyName { get; init; }

    public JsonObject Extra { get; init; } = [];
}
