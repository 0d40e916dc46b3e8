using SafetyWorkflows.Core.Approvals;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Web.Infrastructure;

/// <summary>Turns our domain exceptions, and the framework's bad-request exceptions, into problem+json. Anything else stays a 500.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            InputValidationException e => Validation(e.Field, e.Message),
            DefinitionException e => DefinitionProblem(e),
            WorkflowNotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
            BookmarkNotFoundException e => Problem(StatusCodes.Status409Conflict, e.Message, ("bookmarkId", e.BookmarkId)),
            WorkflowConcurrencyException e => Problem(StatusCodes.Status409Conflict, e.Message),
            WorkflowStateConflictException e => Problem(StatusCodes.Status409Conflict, e.Message, ("workflowInstanceId", e.WorkflowInstanceId)),
            CheckedOutByOtherException e => Problem(StatusCodes.Status409Conflict, e.Message, ("holder", e.Holder)),
            DocumentLockedException e => Problem(StatusCodes.Status409Conflict, e.Message, ("documentStatus", e.Status.ToString()), ("documentStage", e.Stage)),
            CommandIdConflictException e => Problem(StatusCodes.Status409Conflict, e.Message, ("commandId", e.CommandId)),
            IdempotencyKeyConflictException e => Conflict(e.Message, IdempotencyKeyFilter.Header, e.Key),
            SignInThrottledException e => Throttled(httpContext, e),
            DomainException e => Problem(StatusCodes.Status409Conflict, e.Message),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
            ForbiddenException e => Problem(StatusCodes.Status403Forbidden, e.Message),
            BadHttpRequestException e when e.InnerException is JsonException json => Validation("body", $"请求体不是合法的 JSON (the body is not valid JSON: {json.Message})"),
            BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge => Validation("file", $"请求过大 (the request is too large: {e.Message})"),
            BadHttpRequestException e => Validation("body", e.Message),
            _ when exception is Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException || StoreErrors.IsWriteConflict(exception) =>
                Problem(StatusCodes.Status409Conflict, "同一对象正被同时修改，请刷新后重试 (someone changed the same thing at the same moment; reload and try again)."),
            Microsoft.EntityFrameworkCore.DbUpdateException e when StoreErrors.IsUniqueViolation(e) =>
                Problem(StatusCodes.Status409Conflict, "同一对象正被同时修改，请刷新后重试 (someone saved the same thing at the same moment; reload and try again)."),
            _ when StoreErrors.RefusedText(exception) is { } reason => Validation("body", reason),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        logger.LogInformation("{Method} {Path} answered {Status}: {Message}", httpContext.Request.Method, httpContext.Request.Path, problem.Status, exception.Message);
        httpContext.Response.StatusCode = problem.Status!.Value;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
        return true;
    }

    /// <summary>A 409 that names the field in <c>errors</c> as a 400 does, and gives its value.</summary>
    private static ValidationProblemDetails Conflict(string message, string field, string value) => new(new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status409Conflict,
        Title = message,
        Detail = $"{field}: {message}",
        Extensions = { ["idempotencyKey"] = value },
    };

    private static ValidationProblemDetails Validation(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
        Detail = $"{field}: {message}",
    };

    /// <summary>
    /// A definition that cannot be read or run: 400 with one entry per activity (key "definition" for the whole). Each
    /// message names its activity too, because Elsa Studio shows the messages without their keys.
    /// </summary>
    private static ValidationProblemDetails DefinitionProblem(DefinitionException e) =>
        new(e.Errors.GroupBy(x => x.ActivityId ?? "definition").ToDictionary(g => g.Key, g => g.Select(x => x.ToString()).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The workflow definition is invalid.",
            Detail = e.Message,
        };

    /// <summary>429 with <c>Retry-After</c> (whole seconds) and the same figure as <c>retryAfterSeconds</c>.</summary>
    private static ProblemDetails Throttled(HttpContext context, SignInThrottledException e)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(e.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status429TooManyRequests, e.Message, ("retryAfterSeconds", seconds));
    }

    private static ProblemDetails Problem(int status, string message, params (string Key, object Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = message, Detail = message };
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}
