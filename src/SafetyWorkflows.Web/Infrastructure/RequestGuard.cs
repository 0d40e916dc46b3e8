using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace SafetyWorkflows.Web.Infrastructure;

/// <summary>
/// No 500 on input (issue 15): requests whose framing the app cannot read are answered here with problem+json before any
/// endpoint, page or antiforgery check touches them. A multipart body without a boundary, with one over 70 characters
/// (RFC 2046), or that ends before its closing boundary is a 400 naming <c>file</c>; a JSON body in a charset .NET does
/// not know is a 415.
/// </summary>
public static class RequestGuard
{
    /// <summary>The longest multipart boundary RFC 2046 allows (and ASP.NET Core reads).</summary>
    public const int MaxBoundaryLength = 70;

    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            if (media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
                if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > MaxBoundaryLength)
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, "file",
                        $"multipart/form-data 的 boundary 缺失或超过 {MaxBoundaryLength} 个字符 (the multipart boundary is missing or longer than {MaxBoundaryLength} characters).");
                    return;
                }
            }
            else if (IsJson(media) && media.Charset.HasValue && !KnownCharset(HeaderUtilities.RemoveQuotes(media.Charset).Value))
            {
                await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                    $"不支持的字符集“{media.Charset}” (the charset '{media.Charset}' is not supported; send JSON as UTF-8).");
                return;
            }
        }
        else if (request.ContentType is not null && (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type", "Content-Type 无法解析 (the Content-Type header cannot be parsed).");
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (IsBrokenForm(context, ex))
        {
            // A truncated multipart body, wherever it is read (an endpoint, a page's model binding, antiforgery).
            await WriteAsync(context, StatusCodes.Status400BadRequest, "file", $"表单无法读取 (the multipart form could not be read: {ex.Message}).");
        }
    });

    /// <summary>
    /// The Hangfire dashboard's job page for an id that is not a job answers 404 (the storage would throw on it). Runs after
    /// authorization, so only administrators get this far.
    /// </summary>
    public static IApplicationBuilder UseHangfireJobGuard(this IApplicationBuilder app, string dashboardPath) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments($"{dashboardPath}/jobs/details", out var rest)
            && rest.Value?.Trim('/') is { Length: > 0 } jobId
            && !JobExists(context.RequestServices.GetRequiredService<JobStorage>(), jobId))
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, null, $"没有编号为“{jobId}”的定时任务 (there is no job '{jobId}').");
            return;
        }

        await next(context);
    });

    private static bool JobExists(JobStorage storage, string jobId)
    {
        if (!long.TryParse(jobId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number > int.MaxValue)
        {
            return false;
        }

        try
        {
            return storage.GetMonitoringApi().JobDetails(jobId) is not null;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
        media.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase) ||
        media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;

    private static bool KnownCharset(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return false;
        }

        try
        {
            return Encoding.GetEncoding(charset) is not null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false; // unknown, or known but disabled (UTF-7)
        }
    }

    /// <summary>A form that cannot be read, whoever read it: an endpoint itself, or MVC's model binding, which wraps the
    /// reader's exception (a page binds its query properties from a form body too, even on a GET).</summary>
    private static bool IsBrokenForm(HttpContext context, Exception ex) =>
        !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && context.Request.HasFormContentType &&
        Causes(ex).Any(e => e is InvalidDataException or IOException && e is not BadHttpRequestException);

    private static IEnumerable<Exception> Causes(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string? field, string message)
    {
        ProblemDetails problem = field is null
            ? new ProblemDetails { Status = status, Title = message, Detail = message }
            : new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = status,
                Title = status == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type." : "One or more validation errors occurred.",
                Detail = $"{field}: {message}",
            };
        context.Response.Clear();
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
