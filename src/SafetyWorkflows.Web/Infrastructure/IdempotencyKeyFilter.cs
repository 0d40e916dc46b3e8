using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on uploads (a new document, a check-in, an evidence file), with the semantics of a decision's
/// commandId: the key belongs to the request's target (method and path) and the caller. The same key again by the same
/// caller on the same target answers what the first answered (same status and body, <c>Idempotent-Replayed: true</c>) and
/// stores no second file; on another target or by another caller it is a 409 naming <c>Idempotency-Key</c>. The key is
/// claimed in the upload's own transaction, so a crash leaves the upload and its key together or neither; two copies at
/// once make one upload, and the copy that lost the race answers the winner's answer.
/// </summary>
public static class IdempotencyKeyFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxLength = 100;

    /// <summary>How long a duplicate waits for the answer of the copy that is still running.</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(15);

    public static TBuilder WithIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(InvokeAsync);

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }

        var key = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key.Any(c => c < 0x21 || c > 0x7E))
        {
            throw new InputValidationException(Header, $"Idempotency-Key 须为 1–{MaxLength} 个可见 ASCII 字符 (the Idempotency-Key must be one value of 1 to {MaxLength} visible ASCII characters).");
        }

        var keys = http.RequestServices.GetRequiredService<IIdempotencyKeys>();
        var target = $"{http.Request.Method} {http.Request.Path.Value}";
        var by = http.User.ToActor().UserName;
        var cancellationToken = http.RequestAborted;
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        if (await keys.FindAsync(key, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(keys, clock, earlier, key, target, by, cancellationToken);
        }

        keys.Claim(key, target, by, clock.GetUtcNow());
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception ex)
        {
            keys.Release(key);
            // The same key at the same moment: the other copy committed first, and this one's save lost on the key.
            if (ex is Microsoft.EntityFrameworkCore.DbUpdateException update && StoreErrors.IsUniqueViolation(update)
                && await keys.FindAsync(key, CancellationToken.None) is { } winner)
            {
                return await ReplayAsync(keys, clock, winner, key, target, by, cancellationToken);
            }

            throw;
        }

        keys.Release(key);
        if (result is IStatusCodeHttpResult { StatusCode: { } status } && status is >= 200 and < 300)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var value = (result as IValueHttpResult)?.Value;
            var body = value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), options);
            var location = result switch
            {
                Microsoft.AspNetCore.Http.HttpResults.Created<Documents.DocumentDto> c => c.Location,
                Microsoft.AspNetCore.Http.HttpResults.Created<Approvals.AttachmentDto> c => c.Location,
                _ => null,
            };
            await keys.RecordAnswerAsync(key, status, location, body, CancellationToken.None);
        }

        return result;
    }

    private static async Task<IResult> ReplayAsync(
        IIdempotencyKeys keys, TimeProvider clock, IdempotentAnswer answer, string key, string target, string by, CancellationToken cancellationToken)
    {
        if (!string.Equals(answer.Target, target, StringComparison.Ordinal) || !string.Equals(answer.By, by, StringComparison.Ordinal))
        {
            throw new IdempotencyKeyConflictException(key);
        }

        var deadline = DateTime.UtcNow + AnswerWait;
        while (answer.Status is null && DateTime.UtcNow < deadline && clock.GetUtcNow() - answer.At < AnswerWait * 2)
        {
            await Task.Delay(100, cancellationToken);
            answer = await keys.FindAsync(key, cancellationToken) ?? answer;
        }

        if (answer.Status is not { } status)
        {
            // Still running, or committed by a process that stopped before it could record its answer: either way the
            // upload is stored once; the client looks at the target instead of sending it again.
            throw new IdempotencyKeyConflictException(key, lost: clock.GetUtcNow() - answer.At >= AnswerWait * 2);
        }

        return new ReplayedResult(status, answer.Location, answer.Body ?? "null");
    }

    private sealed class ReplayedResult(int status, string? location, string body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers[ReplayedHeader] = "true";
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}

/// <summary>
/// An Idempotency-Key used on another target or by another caller; or whose first request stored its upload but has no
/// answer to repeat (it is still running, or its process stopped between commit and answer). 409 naming the header.
/// </summary>
public sealed class IdempotencyKeyConflictException(string key, bool? lost = null) : DomainException(lost switch
{
    null => $"Idempotency-Key“{key}”已用于另一个请求，请换一个 (Idempotency-Key '{key}' was already used on another target or by another caller).",
    false => $"Idempotency-Key“{key}”的请求尚未完成，请稍后再试 (the request with Idempotency-Key '{key}' has not answered yet; try again shortly).",
    true => $"Idempotency-Key“{key}”的上传已保存，但服务在答复前停止；请查看目标而不要重传 (the upload with Idempotency-Key '{key}' was stored, " +
        "but the server stopped before answering; look at the target instead of sending it again).",
})
{
    public string Key { get; } = key;
}
