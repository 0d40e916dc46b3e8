using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages;

public sealed class LogoutModel(AccountService accounts) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    /// <summary>Ends the session itself, not just the browser's cookie: a copy of the cookie is refused from now on.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.Name is { } userName && User.SessionId() is { } sessionId)
        {
            await accounts.SignOutAsync(userName, sessionId, cancellationToken);
        }

        await HttpContext.SignOutAsync(AuthSetup.CookieScheme);
        return Redirect("/login");
    }
}
