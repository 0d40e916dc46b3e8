using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Notices;

namespace SafetyWorkflows.Web.Pages.Verify;

/// <summary>
/// The public page a notice's QR code opens (anonymous): title, 文号, version, SHA-256, issue time, whether the stored file
/// is still the issued one, and whether its signature is valid. Nothing else about the document.
/// </summary>
public sealed class VerifyModel(VerifyNotice verify) : PageModel
{
    public NoticeVerification? Result { get; private set; }

    public string Code { get; private set; } = "";

    public async Task OnGetAsync(string code, CancellationToken cancellationToken)
    {
        Code = code;
        Result = await verify.VerifyAsync(code, cancellationToken);
        if (Result is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
