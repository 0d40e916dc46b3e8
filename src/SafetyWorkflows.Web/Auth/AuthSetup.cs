using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Core.Storage;
using SafetyWorkflows.Infrastructure.Identity;

namespace SafetyWorkflows.Web.Auth;

public static class AuthSetup
{
    public const string SmartScheme = "Smart";
    public const string BearerScheme = BearerTokenDefaults.AuthenticationScheme;
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "sw.auth";
    public const string AdminPolicy = "Admin";
    public const string SecurityAdminPolicy = "SecurityAdmin";
    public const string AuditAdminPolicy = "AuditAdmin";
    public const string UnitClaim = "unit_id";
    public const string DisplayNameClaim = "display_name";
    public const string SessionClaim = "sid";
    public const string StampClaim = "security_stamp";
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
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(
                    builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>()?.SignIn.CookieHours ?? new SignInOptions().CookieHours);
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(BearerScheme, options => options.BearerTokenExpiration = TokenLifetime);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(SecurityAdminPolicy, policy => policy.RequireRole(Roles.SecurityAdmin))
            .AddPolicy(AuditAdminPolicy, policy => policy.RequireRole(Roles.AuditAdmin))
            .AddPolicy(Organisation.OrganisationEndpoints.PeopleReadersPolicy, policy => policy.RequireRole(Roles.Admin, Roles.SecurityAdmin));
        return builder;
    }

    /// <summary>The principal a cookie or token carries: who, their roles, and the session and security stamp it was issued on
    /// (checked on every request by <see cref="SessionCheck"/>).</summary>
    public static ClaimsPrincipal CreatePrincipal(Official official, SignInSession session, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, official.UserName),
            new(DisplayNameClaim, official.DisplayName),
            new(SessionClaim, session.Id.ToString("N")),
            new(StampClaim, official.SecurityStamp),
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
    public static (string Token, DateTimeOffset ExpiresAt) IssueToken(IServiceProvider services, Official official, SignInSession session)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerScheme);
        var properties = new AuthenticationProperties { IssuedUtc = session.CreatedAt, ExpiresUtc = session.ExpiresAt };
        var ticket = new AuthenticationTicket(CreatePrincipal(official, session, BearerScheme), properties, BearerScheme);
        return (options.BearerTokenProtector.Protect(ticket), session.ExpiresAt);
    }

    /// <summary>The session a signed-in request runs under, when its cookie or token names one.</summary>
    public static Guid? SessionId(this ClaimsPrincipal user) =>
        Guid.TryParseExact(user.FindFirstValue(SessionClaim), "N", out var id) ? id : null;

    public static SignInSource SignInSourceFor(HttpContext context, string kind, TimeSpan lifetime) => new(
        kind, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), lifetime);

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
