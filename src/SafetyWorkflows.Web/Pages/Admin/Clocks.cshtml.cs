using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Incidents;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Admin;

/// <summary>
/// The administrators' view of every pending deadline and timer, with the rule that created it, and calendar warnings;
/// and of every workflow stopped on an incident (流程异常), with 重试.
/// </summary>
[Authorize(Policy = AuthSetup.AdminPolicy)]
public sealed class ClocksModel(IClockBoard board, QueryIncidents incidents, RetryIncident retry) : PageModel
{
    public IReadOnlyList<PendingClock> Clocks { get; private set; } = [];

    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public Shared.IncidentsView Incidents { get; private set; } = new([], false);

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clocks = await board.ListAsync(500, cancellationToken);
        Warnings = await board.WarningsAsync(cancellationToken);
        Incidents = new Shared.IncidentsView(await incidents.ListOpenAsync(200, cancellationToken), RetryIncident.MayRetry(User.ToActor()), ShowDocument: true);
    }

    public async Task<IActionResult> OnPostRetryAsync(string instanceId, string incidentId, CancellationToken cancellationToken)
    {
        try
        {
            await retry.HandleIncidentAsync(instanceId, incidentId, User.ToActor(), cancellationToken);
            return Redirect("/admin/clocks#incidents");
        }
        catch (Exception ex) when (ex is DomainException or NotFoundException)
        {
            Message = UiText.Message(ex.Message);
            await OnGetAsync(cancellationToken);
            return Page();
        }
    }
}
