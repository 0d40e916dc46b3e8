namespace SafetyWorkflows.Workflows.Definitions;

/// <summary>One thing wrong with a definition: where (activity id, may be null for the definition itself) and why.</summary>
public sealed record DefinitionError(string? ActivityId, string Reason)
{
    public override string ToString() => ActivityId is null ? Reason : $"activity '{ActivityId}': {Reason}";
}

/// <summary>A definition that cannot be read or run. The message names the definition (and file, when known), each activity and reason.</summary>
public sealed class DefinitionException : Exception
{
    public DefinitionException(string source, IReadOnlyList<DefinitionError> errors)
        : base($"Workflow definition {source} is invalid: {string.Join("; ", errors)}")
    {
        Source = source;
        Errors = errors;
    }

    public DefinitionException(string source, string reason)
        : this(source, [new DefinitionError(null, reason)])
    {
    }

    /// <summary>What was being read: a file name, or <c>'definitionId'</c>.</summary>
    public new string Source { get; }

    public IReadOnlyList<DefinitionError> Errors { get; }
}
