using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Admin;

/// <summary>The administrators' view of every pending deadline and timer, with the rule that created it, and calendar warnings.</summary>
[Authorize(Policy = AuthSetup.AdminPolicy)]
public sealed class ClocksModel(IClockBoard board) : PageModel
{
    public IReadOnlyList<PendingClock> Clocks { get; private set; } = [];

    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clocks = await board.ListAsync(500, cancellationToken);
        Warnings = await board.WarningsAsync(cancellationToken);
    }
}
