namespace SafetyWorkflows.Core.Common;

/// <summary>An illegal move on an aggregate: the request was understood but conflicts with the current state (HTTP 409).</summary>
public class DomainException(string message) : Exception(message);

/// <summary>Bad input, naming the field at fault (HTTP 400 problem+json with an errors entry for the field).</summary>
public sealed class InputValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>The thing asked for does not exist, or the caller may not know it exists (HTTP 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller is known but may not do this (HTTP 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);
