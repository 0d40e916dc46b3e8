using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Designer;

namespace SafetyWorkflows.Web.Pages.Designer;

/// <summary>
/// A page hosting one Elsa Studio custom element. Administrators only: anyone else signed in gets a 403 page (not a
/// redirect), anonymous visitors the login page. The element is mounted by <c>wwwroot/js/designer.js</c> once a call to
/// the Elsa API has shown that the session is good, because the Studio cannot recover from a 401.
/// </summary>
public abstract class StudioPageModel(StudioFiles files, IAuthorizationService authorization) : PageModel
{
    /// <summary>The custom element's tag (the ones the bundle registers, not the one in its index.html).</summary>
    public abstract string Element { get; }

    /// <summary>Attributes of the element besides <c>remote-endpoint</c>, which the script sets to this origin's Elsa API.</summary>
    public virtual IReadOnlyDictionary<string, string> Attributes { get; } = new Dictionary<string, string>();

    /// <summary>Which tab of the designer's own navigation is current.</summary>
    public virtual string Section => "definitions";

    public bool Allowed { get; private set; }

    public bool Available => files.IsAvailable;

    public async Task<IActionResult> OnGetAsync()
    {
        // The same policy as the Elsa API the Studio calls, so the two never disagree.
        if (!(await authorization.AuthorizeAsync(User, AuthSetup.AdminPolicy)).Succeeded)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        Allowed = true;
        if (!files.IsAvailable)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        return Page();
    }
}

public sealed class DefinitionListModel(StudioFiles files, IAuthorizationService authorization) : StudioPageModel(files, authorization)
{
    public override string Element => "elsa-workflow-definition-list";
}

public sealed class DefinitionEditorModel(StudioFiles files, IAuthorizationService authorization) : StudioPageModel(files, authorization)
{
    public override string Element => "elsa-workflow-definition-editor";

    public override IReadOnlyDictionary<string, string> Attributes =>
        new Dictionary<string, string> { ["definition-id"] = RouteData.Values["definitionId"]?.ToString() ?? "" };
}

public sealed class InstanceListModel(StudioFiles files, IAuthorizationService authorization) : StudioPageModel(files, authorization)
{
    public override string Element => "elsa-workflow-instance-list";

    public override string Section => "instances";
}

public sealed class InstanceViewerModel(StudioFiles files, IAuthorizationService authorization) : StudioPageModel(files, authorization)
{
    public override string Element => "elsa-workflow-instance-viewer";

    public override string Section => "instances";

    public override IReadOnlyDictionary<string, string> Attributes =>
        new Dictionary<string, string> { ["instance-id"] = RouteData.Values["instanceId"]?.ToString() ?? "" };
}
