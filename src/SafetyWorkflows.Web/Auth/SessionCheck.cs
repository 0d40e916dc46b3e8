using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Infrastructure.Identity;

namespace SafetyWorkflows.Web.Auth;

/// <summary>
/// Every signed-in request is checked against its session: a cookie or token whose session was logged out, whose person was
/// deactivated, or whose security stamp is old (password changed or reset, roles changed, forced sign-out) counts as no
/// sign-in at all, and a dead cookie is deleted. Someone whose password was reset may only choose a new one until they do.
/// </summary>
public static class SessionCheck
{
    public const string PasswordPage = "/account/password";

    private static readonly string[] AllowedWhileChangingPassword =
        ["/api/me", "/api/me/password", "/api/auth/logout", "/api/auth/token", PasswordPage, "/logout", "/culture"];

    public static IApplicationBuilder UseSessionCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var state = await CheckAsync(context, user);
            if (!state.Valid)
            {
                if (context.Request.Headers.Authorization.Count == 0)
                {
                    await context.SignOutAsync(AuthSetup.CookieScheme);
                }

                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
            else if (state.MustChangePassword && !AllowedWhileChangingPassword.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                if (AuthSetup.IsApiRequest(context.Request))
                {
                    throw new ForbiddenException("须先修改密码 (the password was reset: choose a new one with POST /api/me/password first).");
                }

                context.Response.Redirect(PasswordPage);
                return;
            }
        }

        await next(context);
    });

    private static async Task<SessionState> CheckAsync(HttpContext context, ClaimsPrincipal user)
    {
        var stamp = user.FindFirstValue(AuthSetup.StampClaim);
        if (user.SessionId() is not { } sessionId || stamp is null || user.Identity?.Name is not { } userName)
        {
            return new SessionState(false, false);
        }

        var accounts = context.RequestServices.GetRequiredService<AccountService>();
        return await accounts.CheckSessionAsync(userName, sessionId, stamp, context.RequestAborted);
    }
}
