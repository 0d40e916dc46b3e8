using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages;

public sealed class LoginModel(AccountService accounts, IOptions<SecurityOptions> security) : PageModel
{
    public bool Failed { get; private set; }

    /// <summary>Set when attempts under this name or from this address are held back; says for how long.</summary>
    public string? Throttled { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Failed = true;
            return Page();
        }

        var source = AuthSetup.SignInSourceFor(HttpContext, AccountService.CookieKind, TimeSpan.FromDays(security.Value.SignIn.CookieMaxDays));
        var result = await accounts.SignInAsync(UserName.Trim(), Password, source, cancellationToken);
        if (result.Outcome != SignInOutcome.Succeeded)
        {
            Failed = result.Outcome == SignInOutcome.Failed;
            if (result.Outcome == SignInOutcome.Throttled)
            {
                Throttled = UiText.Message(SignInThrottledException.Describe(result.RetryAfter));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Page();
        }

        await HttpContext.SignInAsync(AuthSetup.CookieScheme, AuthSetup.CreatePrincipal(result.Official!, result.Session!, AuthSetup.CookieScheme));
        if (result.Official!.MustChangePassword)
        {
            return LocalRedirect(SessionCheck.PasswordPage);
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
