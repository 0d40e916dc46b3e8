using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Identity;

namespace SafetyWorkflows.Web.Auth;

public sealed record TokenRequest(string? UserName, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

public sealed record MeResponse(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? UnitId, string? UnitName);

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().WithName("IssueToken").WithTags("Auth")
            .WithSummary("Exchanges a user name and password for a bearer token.");
        app.MapGet("/api/me", GetMeAsync).WithName("GetMe").WithTags("Auth").WithSummary("The signed-in official.");
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, AccountService accounts, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            throw new InputValidationException("userName", "请输入用户名 (userName is required).");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            throw new InputValidationException("password", "请输入密码 (password is required).");
        }

        var official = await accounts.SignInAsync(request.UserName.Trim(), request.Password, cancellationToken);
        if (official is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "用户名或密码不正确 (wrong user name or password).");
        }

        var (token, expiresAt) = AuthSetup.IssueToken(services, official);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    private static async Task<Ok<MeResponse>> GetMeAsync(HttpContext context, IOrganisationDirectory directory, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        var unit = actor.UnitId is null ? null : await directory.FindUnitAsync(actor.UnitId, cancellationToken);
        return TypedResults.Ok(new MeResponse(actor.UserName, actor.DisplayName, actor.Roles.Order(StringComparer.Ordinal).ToList(), actor.UnitId, unit?.Name));
    }
}
