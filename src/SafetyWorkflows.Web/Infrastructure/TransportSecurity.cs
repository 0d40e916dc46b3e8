using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Infrastructure;

/// <summary>
/// Behind a TLS proxy and against other sites: forwarded headers only from the proxies named in
/// <c>Security:KnownProxies</c> (so the client's address and https count, cookies are <c>Secure</c> and sign-in throttling
/// sees the real address), HSTS on https, and a refusal of cookie-authenticated API calls that another site started.
/// </summary>
public static class TransportSecurity
{
    private static readonly string[] SafeMethods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Options, HttpMethods.Trace];

    public static WebApplicationBuilder AddTransportSecurity(this WebApplicationBuilder builder)
    {
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk back through every known proxy in a chain; the first address not among them is the client.
            options.ForwardLimit = null;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in security.KnownProxies)
            {
                // Validated on start (SecurityOptions); an address that does not parse never gets here.
                if (IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
            }
        });
        // Cookies are Secure whenever the request was https, as the proxy reports it.
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(Math.Max(security.HstsMaxAgeDays, 0));
            options.IncludeSubDomains = false;
            options.ExcludedHosts.Clear();
        });
        return builder;
    }

    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        var security = app.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (security.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (security.HstsMaxAgeDays > 0)
        {
            // Only https answers carry it; with forwarded headers, that includes answers the TLS proxy carries.
            app.UseHsts();
        }

        app.Use(RefuseCrossSiteCookieCalls);
        return app;
    }

    /// <summary>
    /// A state-changing API call that rides on the sign-in cookie must come from this site: a browser says where a request
    /// started in <c>Sec-Fetch-Site</c> and <c>Origin</c>, and another site cannot forge either. Bearer-token calls carry
    /// nothing ambient and are not judged; pages have their own antiforgery tokens.
    /// </summary>
    private static Task RefuseCrossSiteCookieCalls(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (SafeMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)
            || request.Headers.Authorization.Count > 0
            || !request.Cookies.ContainsKey(AuthSetup.CookieName)
            || !(AuthSetup.IsApiRequest(request) || request.Path.StartsWithSegments("/hangfire")))
        {
            return next(context);
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
        {
            throw new ForbiddenException($"跨站请求被拒绝 (a cross-site request may not use the sign-in cookie: Sec-Fetch-Site is {fetchSite}).");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            throw new ForbiddenException("跨站请求被拒绝 (a request from another origin may not use the sign-in cookie).");
        }

        return next(context);
    }
}
