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
public sealed class PreferencesModel(NotificationQueries queries, IOptions<GraphOptions> graph, Core.Notices.SignatureImages signatures) : PageModel
{
    public bool HasSignature { get; private set; }

    public string? SignatureMessage { get; private set; }

    public string? SignatureStatus { get; private set; }

    public NotificationPreference Preference { get; private set; } = NotificationPreference.Default("");

    public bool GraphEnabled => graph.Value.IsEnabled;

    public bool TeamsEnabled => graph.Value.IsEnabled && graph.Value.EnableTeams;

    public string? Message { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool? saved, string? signature, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Saved = saved == true;
        SignatureStatus = signature is "saved" or "deleted" ? signature : null;
    }

    /// <summary>The signature picture (multipart <c>file</c>); a bad picture is shown back in plain words.</summary>
    public async Task<IActionResult> OnPostSignatureAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = file?.OpenReadStream();
            await signatures.SaveAsync(User.ToActor(), content, cancellationToken);
            return Redirect("/preferences?signature=saved");
        }
        catch (InputValidationException ex)
        {
            SignatureMessage = UiText.Message(ex.Message);
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostDeleteSignatureAsync(CancellationToken cancellationToken)
    {
        await signatures.DeleteAsync(User.ToActor(), cancellationToken);
        return Redirect("/preferences?signature=deleted");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Preference = await queries.PreferenceAsync(User.ToActor().UserName, cancellationToken);
        HasSignature = await signatures.GetAsync(User.ToActor(), cancellationToken) is not null;
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
            await LoadAsync(cancellationToken);
            return Page();
        }
    }
}
