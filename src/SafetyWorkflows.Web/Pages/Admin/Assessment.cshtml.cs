using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Assessment;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Pages.Admin;

/// <summary>考核权重: the administrator sets each part's weight and the accident severity that vetoes a unit.</summary>
[Authorize(Policy = AuthSetup.AdminPolicy)]
public sealed class AssessmentModel(IAssessmentWeightsStore store, IAuditLog audit, TimeProvider clock) : PageModel
{
    public AssessmentWeightsDto Weights { get; private set; } = AssessmentEndpoints.ToDto(AssessmentWeights.Default());

    public string? Message { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        Weights = AssessmentEndpoints.ToDto(await store.GetAsync(cancellationToken));
        Saved = saved;
    }

    public async Task<IActionResult> OnPostAsync(int letter, int hazards, int statistics, int drills, int training, string? vetoSeverity, CancellationToken cancellationToken)
    {
        var body = new AssessmentWeightsDto(letter, hazards, statistics, drills, training, vetoSeverity ?? "");
        try
        {
            await AssessmentEndpoints.ChangeAsync(body, User.ToActor().UserName, store, audit, clock, cancellationToken);
            return RedirectToPage(new { saved = true });
        }
        catch (InputValidationException ex)
        {
            Weights = body;
            Message = UiText.Message(ex.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
