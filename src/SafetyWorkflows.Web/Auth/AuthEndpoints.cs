using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Identity;

namespace SafetyWorkflows.Web.Auth;

public sealed record TokenRequest(string? UserName, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, bool MustChangePassword);

public sealed record MeResponse(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? UnitId, string? UnitName, bool MustChangePassword);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ChangePasswordResponse(DateTimeOffset ChangedAt, bool SessionsEnded);

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().WithName("IssueToken").WithTags("Auth")
            .WithSummary("Exchanges a user name and password for a bearer token. Failed attempts are throttled per user name and per address: 429 with Retry-After.");
        app.MapPost("/api/auth/logout", LogoutAsync).WithName("Logout").WithTags("Auth")
            .WithSummary("Ends the session of the token or cookie the call is made with: it is refused from now on.");
        app.MapGet("/api/me", GetMeAsync).WithName("GetMe").WithTags("Auth").WithSummary("The signed-in official.");
        app.MapPost("/api/me/password", ChangePasswordAsync).WithName("ChangeOwnPassword").WithTags("Auth")
            .WithSummary("Changes the caller's password ({currentPassword, newPassword}); every session of the caller ends, this one included.");
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            throw new InputValidationException("userName", "请输入用户名 (userName is required).");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            throw new InputValidationException("password", "请输入密码 (password is required).");
        }

        var source = AuthSetup.SignInSourceFor(context, AccountService.TokenKind, AuthSetup.TokenLifetime);
        var result = await accounts.SignInAsync(request.UserName.Trim(), request.Password, source, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.Throttled:
                throw new SignInThrottledException(result.RetryAfter);
            case SignInOutcome.Failed:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "用户名或密码不正确 (wrong user name or password).");
        }

        var (token, expiresAt) = AuthSetup.IssueToken(context.RequestServices, result.Official!, result.Session!);
        return TypedResults.Ok(new TokenResponse(token, expiresAt, result.Official!.MustChangePassword));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, AccountService accounts, CancellationToken cancellationToken)
    {
        if (context.User.SessionId() is { } sessionId)
        {
            await accounts.SignOutAsync(context.User.Identity!.Name!, sessionId, cancellationToken);
        }

        if (context.Request.Headers.Authorization.Count == 0)
        {
            await context.SignOutAsync(AuthSetup.CookieScheme);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<MeResponse>> GetMeAsync(HttpContext context, IOrganisationDirectory directory, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        var official = await directory.FindOfficialAsync(actor.UserName, cancellationToken);
        var unit = actor.UnitId is null ? null : await directory.FindUnitAsync(actor.UnitId, cancellationToken);
        return TypedResults.Ok(new MeResponse(
            actor.UserName, actor.DisplayName, actor.Roles.Order(StringComparer.Ordinal).ToList(), actor.UnitId, unit?.Name, official?.MustChangePassword ?? false));
    }

    private static async Task<Ok<ChangePasswordResponse>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext context, AccountService accounts, TimeProvider clock, CancellationToken cancellationToken)
    {
        await accounts.ChangeOwnPasswordAsync(
            context.User.ToActor().UserName, request.CurrentPassword, request.NewPassword, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (context.Request.Headers.Authorization.Count == 0)
        {
            await context.SignOutAsync(AuthSetup.CookieScheme);
        }

        return TypedResults.Ok(new ChangePasswordResponse(clock.GetUtcNow(), SessionsEnded: true));
    }
}
