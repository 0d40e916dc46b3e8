using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages;

public sealed class LoginModel(AccountService accounts) : PageModel
{
    public bool Failed { get; private set; }

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
        var official = string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password)
            ? null
            : await accounts.SignInAsync(UserName.Trim(), Password, cancellationToken);
        if (official is null)
        {
            Failed = true;
            return Page();
        }

        await HttpContext.SignInAsync(AuthSetup.CookieScheme, AuthSetup.CreatePrincipal(official, AuthSetup.CookieScheme));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
