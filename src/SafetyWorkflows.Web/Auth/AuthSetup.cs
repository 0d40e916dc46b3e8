using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Core.Storage;

namespace SafetyWorkflows.Web.Auth;

public static class AuthSetup
{
    public const string SmartScheme = "Smart";
    public const string BearerScheme = BearerTokenDefaults.AuthenticationScheme;
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string AdminPolicy = "Admin";
    public const string UnitClaim = "unit_id";
    public const string DisplayNameClaim = "display_name";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(8);

    /// <summary>Cookie sessions for the web UI and bearer tokens for API clients, both accepted everywhere: a request with an
    /// <c>Authorization</c> header is judged by the bearer scheme, any other by the cookie.</summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.ResolveDataDirectory()
            ?? new StorageOptions().ResolveDataDirectory();
        builder.Services.AddDataProtection()
            .SetApplicationName("SafetyWorkflows")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));

        builder.Services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count > 0 ? BearerScheme : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/forbidden";
                options.Cookie.Name = "sw.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(BearerScheme, options => options.BearerTokenExpiration = TokenLifetime);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Roles.Admin));
        return builder;
    }

    public static ClaimsPrincipal CreatePrincipal(Official official, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, official.UserName),
            new(DisplayNameClaim, official.DisplayName),
        };
        claims.AddRange(official.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        if (official.UnitId is not null)
        {
            claims.Add(new Claim(UnitClaim, official.UnitId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Actor ToActor(this ClaimsPrincipal user) => new(
        user.Identity?.Name ?? throw new InvalidOperationException("No signed-in user."),
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity.Name,
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        user.FindFirstValue(UnitClaim));

    /// <summary>Issues a bearer token the <see cref="BearerScheme"/> handler accepts, in our own response shape.</summary>
    public static (string Token, DateTimeOffset ExpiresAt) IssueToken(IServiceProvider services, Official official)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerScheme);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var expiresAt = now + TokenLifetime;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expiresAt };
        var ticket = new AuthenticationTicket(CreatePrincipal(official, BearerScheme), properties, BearerScheme);
        return (options.BearerTokenProtector.Protect(ticket), expiresAt);
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int statusCode)
    {
        if (IsApiRequest(context.Request))
        {
            context.Response.StatusCode = statusCode;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/elsa/api");
}
