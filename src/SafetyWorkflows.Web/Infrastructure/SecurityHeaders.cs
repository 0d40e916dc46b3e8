using Microsoft.Net.Http.Headers;

namespace SafetyWorkflows.Web.Infrastructure;

/// <summary>
/// The web defences every answer carries (issue 15): <c>nosniff</c> and a same-origin referrer everywhere; on pages a
/// content security policy that allows only this site's own scripts, styles, pictures and frames (plus what Elsa Studio's
/// WebAssembly needs: <c>wasm-unsafe-eval</c>, inline styles, blob workers), and no framing by other sites.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'self'";

    /// <summary>
    /// The designer pages add, by their hashes, the inline scripts the pinned Elsa Studio bundle (3.8.2) runs: the one while
    /// Blazor starts, and the instance list's hot-key script (<c>window.editorHotkeys</c>). A new bundle that changes one
    /// shows up as a CSP error in the designer browser tests.
    /// </summary>
    public const string DesignerContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-snlP1jz0gjwc5cTz9ErZcliXuCK63+Mmf68RRCeptgc=' " +
        "'sha256-vu6sQrKXQHR4Yn3FMMihA/9TxxfIXnCxKwvLrTPJ5ts='; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            // A signed task link (/t/{token}) carries its token in the path: it must not leave in a Referer, even to this site.
            headers["Referrer-Policy"] = context.Request.Path.StartsWithSegments("/t", StringComparison.Ordinal) ? "no-referrer" : "same-origin";
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                // Hangfire's dashboard is its own page with scripts of its own: it only may not be framed elsewhere.
                var path = context.Request.Path;
                headers[HeaderNames.ContentSecurityPolicy] =
                    path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase) ? "frame-ancestors 'self'"
                    : path.StartsWithSegments("/designer", StringComparison.OrdinalIgnoreCase) ? DesignerContentSecurityPolicy
                    : ContentSecurityPolicy;
                headers[HeaderNames.XFrameOptions] = "SAMEORIGIN";
            }

            return Task.CompletedTask;
        });
        await next();
    });
}
