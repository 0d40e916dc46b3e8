using SafetyWorkflows.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Pages.Preferences;

/// <summary>Each official's notification preferences: channels, language, daily digest.</summary>
public sealed class PreferencesModel(NotificationQueries queries, IOptions<GraphOptions> graph) : PageModel
{
    public NotificationPreference Preference { get; private set; } = NotificationPreference.Default("");

    public bool GraphEnabled => graph.Value.IsEnabled;

    public bool TeamsEnabled => graph.Value.IsEnabled && graph.Value.EnableTeams;

    public string? Message { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool? saved, CancellationToken cancellationToken)
    {
        Preference = await queries.PreferenceAsync(User.ToActor().UserName, cancellationToken);
        Saved = saved == true;
    }

    public async Task<IActionResult> OnPostAsync(bool mail, bool teams, string? language, bool dailyDigest, CancellationToken cancellationToken)
    {
        var userName = User.ToActor().UserName;
        try
        {
            await queries.SavePreferenceAsync(userName, mail, teams, language, dailyDigest, cancellationToken);
            return Redirect("/preferences?saved=true");
        }
        catch (InputValidationException ex)
        {
            Message = UiText.Message(ex.Message);
            Preference = await queries.PreferenceAsync(userName, cancellationToken);
            return Page();
        }
    }
}
