using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Assessment;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Assessment;

/// <summary>年度安全生产考核: the rows, 签订率 by counterparty kind, the veto and the export; one unit's documents behind its figures.</summary>
public sealed class IndexModel(AnnualAssessment assessment, TimeProvider clock, Core.Documents.UploadDocument upload, Core.Approvals.SubmitDocument submit) : PageModel
{
    public bool MayFileReview => Core.Approvals.TaskLinks.IsSafetyOffice(User.ToActor()) && !User.ToActor().IsAdmin;

    /// <summary>考核点评: files this year's sheet and submits it to the leaders, then opens the new document.</summary>
    public async Task<IActionResult> OnPostReviewAsync(string? year, CancellationToken cancellationToken)
    {
        try
        {
            var id = await AssessmentEndpoints.SubmitReviewAsync(year, User.ToActor(), assessment, upload, submit, cancellationToken);
            return Redirect($"/documents/{id}");
        }
        catch (InputValidationException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    public AssessmentDto? View { get; private set; }

    public AssessmentRowDto? Unit { get; private set; }

    public int Year { get; private set; }

    public int ThisYear { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? year, string? unitId, CancellationToken cancellationToken)
    {
        ThisYear = BoardDates.ChinaDay(clock.GetUtcNow()).Year;
        try
        {
            Year = year is null ? ThisYear : AnnualAssessment.ParseYear(year);
            View = AssessmentEndpoints.ToDto(await assessment.ComputeAsync(Year, User.ToActor(), cancellationToken));
        }
        catch (InputValidationException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        if (unitId is not null)
        {
            Unit = View.Rows.FirstOrDefault(r => r.UnitId == unitId);
            if (Unit is null)
            {
                return NotFound();
            }
        }

        return Page();
    }
}
