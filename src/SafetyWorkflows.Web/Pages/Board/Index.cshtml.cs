using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Board;

namespace SafetyWorkflows.Web.Pages.Board;

/// <summary>
/// 隐患台账/督办看板: the open orders as a list (rendered here, so it reads without scripts) and the charts, drawn by
/// <c>board.js</c> with ECharts from the same data embedded as JSON (the CSP allows no inline script).
/// </summary>
public sealed class IndexModel(HazardBoard board, HazardBoardCache cache, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : PageModel
{
    public HazardBoardDto View { get; private set; } = null!;

    public string DataJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            (View, _) = await cache.GetAsync(board, User.ToActor(), cancellationToken);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        // The charts need the counts and the trend only; the list is in the page.
        DataJson = JsonSerializer.Serialize(new { View.ByVillage, View.ByIndustry, View.Trend }, json.Value.SerializerOptions);
        return Page();
    }
}
