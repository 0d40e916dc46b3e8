using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Organisation;

public sealed record PersonDto(string UserName, string DisplayName, string Email, IReadOnlyList<string> Roles, string? UnitId, string? Position, bool IsActive);

public sealed record AccountDto(
    string UserName, string DisplayName, IReadOnlyList<string> Roles, string? UnitId, bool IsActive, bool Locked, DateTimeOffset? LockedUntil,
    bool MustChangePassword, DateTimeOffset? LastSignInAt, DateTimeOffset? PasswordChangedAt, int OpenSessions);

public sealed record UnitDto(string Id, string Name, string? NameEn, string Kind, string? ParentId, string? Sector);

public sealed record ResetPasswordRequest(string? TemporaryPassword);

public sealed record ResetPasswordResponse(string UserName, string TemporaryPassword, bool MustChangePassword);

public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);

public static class OrganisationEndpoints
{
    public const string PeopleReadersPolicy = "PeopleReaders";

    public static IEndpointRouteBuilder MapOrganisationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/people", ListPeopleAsync).RequireAuthorization(PeopleReadersPolicy)
            .WithName("ListPeople").WithTags("Organisation").WithSummary("Officials (system and security administrators).");
        app.MapGet("/api/units", ListUnitsAsync).WithName("ListUnits").WithTags("Organisation").WithSummary("Units of the township.");

        // The security administrator's work (安全管理员): accounts, roles and sessions. Each act is audited.
        var accounts = app.MapGroup("/api/people").WithTags("Accounts").RequireAuthorization(AuthSetup.SecurityAdminPolicy);
        accounts.MapGet("/accounts", ListAccountsAsync).WithName("ListAccounts")
            .WithSummary("Every account with its state: active, locked, must change password, open sessions.");
        accounts.MapPost("/{userName}/deactivate", async (string userName, HttpContext context, AccountAdministration admin, CancellationToken ct) =>
        {
            await admin.DeactivateAsync(context.User.ToActor(), userName, ct);
            return TypedResults.NoContent();
        }).WithName("DeactivateAccount").WithSummary("Deactivates the account: it cannot sign in and every session ends now.");
        accounts.MapPost("/{userName}/activate", async (string userName, HttpContext context, AccountAdministration admin, CancellationToken ct) =>
        {
            await admin.ActivateAsync(context.User.ToActor(), userName, ct);
            return TypedResults.NoContent();
        }).WithName("ActivateAccount").WithSummary("Lets a deactivated account sign in again.");
        accounts.MapPost("/{userName}/reset-password", ResetPasswordAsync).WithName("ResetPassword")
            .WithSummary("Sets a temporary password ({temporaryPassword}, or a random one) that must be changed at the next sign-in; every session ends; a lock-out is lifted.");
        accounts.MapPost("/{userName}/roles", async (string userName, SetRolesRequest request, HttpContext context, AccountAdministration admin, CancellationToken ct) =>
        {
            await admin.SetRolesAsync(context.User.ToActor(), userName, request.Roles, ct);
            return TypedResults.NoContent();
        }).WithName("SetRoles").WithSummary("Replaces the account's roles ({roles: [...]}); its sessions end, so the new roles apply from the next sign-in.");
        accounts.MapPost("/{userName}/sign-out", async (string userName, HttpContext context, AccountAdministration admin, CancellationToken ct) =>
        {
            await admin.RevokeSessionsAsync(context.User.ToActor(), userName, ct);
            return TypedResults.NoContent();
        }).WithName("RevokeSessions").WithSummary("Ends every session (cookies and tokens) of the account now.");
        accounts.MapPost("/{userName}/unlock", async (string userName, HttpContext context, AccountAdministration admin, CancellationToken ct) =>
        {
            await admin.UnlockAsync(context.User.ToActor(), userName, ct);
            return TypedResults.NoContent();
        }).WithName("UnlockAccount").WithSummary("Lifts a sign-in lock-out before it runs out.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PersonDto>>> ListPeopleAsync(IOrganisationDirectory directory, CancellationToken cancellationToken)
    {
        var officials = await directory.ListOfficialsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PersonDto>>(officials.Select(o => new PersonDto(o.UserName, o.DisplayName, o.Email, o.Roles, o.UnitId, o.Position, o.IsActive)).ToList());
    }

    private static async Task<Ok<IReadOnlyList<AccountDto>>> ListAccountsAsync(HttpContext context, AccountAdministration admin, CancellationToken cancellationToken)
    {
        var accounts = await admin.ListAsync(context.User.ToActor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AccountDto>>(accounts.Select(a => new AccountDto(
            a.Official.UserName, a.Official.DisplayName, a.Official.Roles, a.Official.UnitId, a.Official.IsActive, a.Locked, a.LockedUntil,
            a.Official.MustChangePassword, a.Official.LastSignInAt, a.Official.PasswordChangedAt, a.OpenSessions)).ToList());
    }

    private static async Task<Ok<ResetPasswordResponse>> ResetPasswordAsync(
        string userName, ResetPasswordRequest? request, HttpContext context, AccountAdministration admin, CancellationToken cancellationToken)
    {
        var password = await admin.ResetPasswordAsync(context.User.ToActor(), userName, request?.TemporaryPassword, cancellationToken);
        return TypedResults.Ok(new ResetPasswordResponse(userName, password, MustChangePassword: true));
    }

    private static async Task<Ok<IReadOnlyList<UnitDto>>> ListUnitsAsync(IOrganisationDirectory directory, CancellationToken cancellationToken)
    {
        var units = await directory.ListUnitsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<UnitDto>>(units.Select(u => new UnitDto(u.Id, u.Name, u.NameEn, u.Kind.ToString(), u.ParentId, u.Sector)).ToList());
    }
}
