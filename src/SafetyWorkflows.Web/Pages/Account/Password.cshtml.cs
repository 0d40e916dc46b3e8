using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Account;

/// <summary>Everyone changes their own password here; after a reset this is the only page open until they do.</summary>
public sealed class PasswordModel(AccountService accounts, IOrganisationDirectory directory, IOptions<SecurityOptions> security) : PageModel
{
    public bool MustChange { get; private set; }

    public bool Changed { get; private set; }

    public string? Message { get; private set; }

    public string? MessageField { get; private set; }

    public PasswordOptions Policy => security.Value.Password;

    public async Task OnGetAsync(bool? changed, CancellationToken cancellationToken)
    {
        Changed = changed == true;
        MustChange = (await directory.FindOfficialAsync(User.ToActor().UserName, cancellationToken))?.MustChangePassword ?? false;
    }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword, string? confirmPassword, CancellationToken cancellationToken)
    {
        var userName = User.ToActor().UserName;
        try
        {
            if (!string.IsNullOrEmpty(newPassword) && newPassword != confirmPassword)
            {
                throw new InputValidationException("confirmPassword", "两次输入的新密码不一致 (the two new passwords differ).");
            }

            await accounts.ChangeOwnPasswordAsync(userName, currentPassword, newPassword, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        }
        catch (Exception ex) when (ex is InputValidationException or SignInThrottledException)
        {
            Message = UiText.Message(ex.Message);
            MessageField = (ex as InputValidationException)?.Field;
            MustChange = (await directory.FindOfficialAsync(userName, cancellationToken))?.MustChangePassword ?? false;
            return Page();
        }

        // The change ended every session, this one too: sign in afresh with the new password.
        await HttpContext.SignOutAsync(AuthSetup.CookieScheme);
        var source = AuthSetup.SignInSourceFor(HttpContext, AccountService.CookieKind, TimeSpan.FromDays(security.Value.SignIn.CookieMaxDays));
        var result = await accounts.SignInAsync(userName, newPassword!, source, cancellationToken);
        if (result.Outcome != SignInOutcome.Succeeded)
        {
            return Redirect("/login");
        }

        await HttpContext.SignInAsync(AuthSetup.CookieScheme, AuthSetup.CreatePrincipal(result.Official!, result.Session!, AuthSetup.CookieScheme));
        return Redirect("/account/password?changed=true");
    }
}
