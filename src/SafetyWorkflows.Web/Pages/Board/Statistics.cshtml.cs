using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Board;

namespace SafetyWorkflows.Web.Pages.Board;

/// <summary>季度隐患排查治理统计 computed from the orders, by village and by industry, with the .xlsx export.</summary>
public sealed class StatisticsModel(HazardStatistics statistics, HazardBoard board) : PageModel
{
    public HazardStatisticsDto? View { get; private set; }

    public string? Error { get; private set; }

    public int Year { get; private set; }

    public int Quarter { get; private set; }

    public int ThisYear { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? year, string? quarter, CancellationToken cancellationToken)
    {
        ThisYear = board.Today.Year;
        try
        {
            (Year, Quarter) = HazardStatistics.Parse(year, quarter, board.Today);
            View = BoardEndpoints.ToDto(await statistics.ComputeAsync(Year, Quarter, User.ToActor(), cancellationToken));
        }
        catch (InputValidationException ex)
        {
            (Year, Quarter) = HazardStatistics.Parse(null, null, board.Today);
            Error = Localization.UiText.Message(ex.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        return Page();
    }
}
