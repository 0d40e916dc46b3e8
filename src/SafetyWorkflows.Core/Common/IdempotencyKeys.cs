namespace SafetyWorkflows.Core.Common;

/// <summary>
/// A client's <c>Idempotency-Key</c> as stored: the request it belongs to (<see cref="Target"/>, e.g.
/// <c>POST /api/tasks/{id}/files</c>) and the caller, and once answered the answer itself (status, location, JSON body).
/// </summary>
public sealed record IdempotentAnswer(string Key, string Target, string By, int? Status, string? Location, string? Body, DateTimeOffset At);

/// <summary>
/// Idempotency keys of uploads (evidence, new documents, new versions), with the semantics of a decision's commandId: a
/// key belongs to one target and one caller; the same again answers as the first time; elsewhere it is a conflict.
/// </summary>
public interface IIdempotencyKeys
{
    Task<IdempotentAnswer?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the key in the request's unit of work, so that the use case's own save commits the claim with the upload
    /// (a crash leaves both or neither); a second claim of the same key fails that save as a unique violation.
    /// </summary>
    void Claim(string key, string target, string by, DateTimeOffset at);

    /// <summary>Drops an unsaved claim (the request failed before its save).</summary>
    void Release(string key);

    /// <summary>Records the answer of a claimed key once the upload is committed.</summary>
    Task RecordAnswerAsync(string key, int status, string? location, string body, CancellationToken cancellationToken);
}
