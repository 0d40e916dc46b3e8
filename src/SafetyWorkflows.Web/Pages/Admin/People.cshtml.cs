using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Admin;

/// <summary>The security administrator's page: every account, its state, and what can be done to it.</summary>
[Authorize(Policy = AuthSetup.SecurityAdminPolicy)]
public sealed class PeopleModel(AccountAdministration admin, IOrganisationDirectory directory, UiText text) : PageModel
{
    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];

    public IReadOnlyList<RoleName> RoleNames { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Done { get; private set; }

    /// <summary>A temporary password just set, shown once, with whose it is.</summary>
    public (string Name, string Password)? Temporary { get; private set; }

    public string Role(string key) => RoleNames.FirstOrDefault(r => r.Key == key) is { } role ? UiText.Pick(role.Name, role.NameEn) : key;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostDeactivateAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(userName, "Account.Deactivated", () => admin.DeactivateAsync(User.ToActor(), userName, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostActivateAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(userName, "Account.Activated", () => admin.ActivateAsync(User.ToActor(), userName, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSignOutAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(userName, "Account.SignedOut", () => admin.RevokeSessionsAsync(User.ToActor(), userName, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(userName, "Account.Unlocked", () => admin.UnlockAsync(User.ToActor(), userName, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRolesAsync(string userName, List<string>? roles, CancellationToken cancellationToken) =>
        ActAsync(userName, "Account.RolesSaved", () => admin.SetRolesAsync(User.ToActor(), userName, roles ?? [], cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResetAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(userName, "Account.Reset", async () =>
        {
            var password = await admin.ResetPasswordAsync(User.ToActor(), userName, null, cancellationToken);
            Temporary = (await directory.DisplayNameAsync(userName, cancellationToken), password);
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(string userName, string doneKey, Func<Task> act, CancellationToken cancellationToken)
    {
        try
        {
            await act();
            Done = text.Format(doneKey, await directory.DisplayNameAsync(userName, cancellationToken));
        }
        catch (Exception ex) when (ex is DomainException or InputValidationException or NotFoundException)
        {
            Message = UiText.Message(ex.Message);
            Response.StatusCode = ex is NotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Accounts = await admin.ListAsync(User.ToActor(), cancellationToken);
        RoleNames = await directory.ListRolesAsync(cancellationToken);
    }
}
