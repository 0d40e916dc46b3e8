using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Infrastructure.Notifications;

public enum GraphCloud
{
    Global,

    /// <summary>Microsoft 365 operated by 21Vianet.</summary>
    China,

    UsGovernment,

    /// <summary><c>Graph:BaseUrl</c> and <c>Graph:AuthorityHost</c> name the hosts (a proxy, a sovereign deployment, a test double).</summary>
    Custom,
}

/// <summary>
/// Section <c>Graph</c>: Microsoft Graph mail and Teams, app-only. On exactly when <c>TenantId</c> and <c>ClientId</c> are
/// set; otherwise notifications go to the local outbox. Secrets come from user-secrets or the environment.
/// </summary>
public sealed class GraphOptions : IValidatableObject
{
    public const string Section = "Graph";

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>A PFX or PEM file with the app's certificate and private key (instead of a secret).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The mailbox that sends (user id or user principal name), e.g. <c>safety-office@town.example.com</c>.</summary>
    public string? SenderUserId { get; set; }

    public bool EnableTeams { get; set; }

    /// <summary>The Teams app (manifest id) whose activity types the feed notices use; required with <c>EnableTeams</c>.</summary>
    public string? TeamsAppId { get; set; }

    public GraphCloud Cloud { get; set; } = GraphCloud.Global;

    /// <summary>Overrides the cloud's Graph endpoint, e.g. <c>https://host/v1.0</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Overrides the cloud's token authority, e.g. <c>https://login.chinacloudapi.cn</c>.</summary>
    public string? AuthorityHost { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(ClientId);

    public Uri GraphBaseUrl => new((string.IsNullOrWhiteSpace(BaseUrl) ? Cloud switch
    {
        GraphCloud.China => "https://microsoftgraph.chinacloudapi.cn/v1.0",
        GraphCloud.UsGovernment => "https://graph.microsoft.us/v1.0",
        _ => "https://graph.microsoft.com/v1.0",
    } : BaseUrl).TrimEnd('/'));

    public Uri Authority => new(string.IsNullOrWhiteSpace(AuthorityHost) ? Cloud switch
    {
        GraphCloud.China => "https://login.chinacloudapi.cn",
        GraphCloud.UsGovernment => "https://login.microsoftonline.us",
        _ => "https://login.microsoftonline.com",
    } : AuthorityHost);

    /// <summary>The app-only scope of the Graph host in use (<c>https://host/.default</c>).</summary>
    public string Scope => $"{GraphBaseUrl.GetLeftPart(UriPartial.Authority)}/.default";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            if (!string.IsNullOrWhiteSpace(TenantId) || !string.IsNullOrWhiteSpace(ClientId))
            {
                yield return new ValidationResult("Graph:TenantId and Graph:ClientId go together: set both to use Microsoft Graph, or neither for the local outbox.", [nameof(TenantId), nameof(ClientId)]);
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(ClientSecret) == string.IsNullOrWhiteSpace(CertificatePath))
        {
            yield return new ValidationResult("Set exactly one of Graph:ClientSecret and Graph:CertificatePath.", [nameof(ClientSecret), nameof(CertificatePath)]);
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            yield return new ValidationResult($"Graph:CertificatePath '{CertificatePath}' does not exist.", [nameof(CertificatePath)]);
        }

        if (string.IsNullOrWhiteSpace(SenderUserId))
        {
            yield return new ValidationResult("Graph:SenderUserId (the mailbox that sends) is required with Graph.", [nameof(SenderUserId)]);
        }

        if (Cloud == GraphCloud.Custom && (string.IsNullOrWhiteSpace(BaseUrl) || string.IsNullOrWhiteSpace(AuthorityHost)))
        {
            yield return new ValidationResult("Graph:Cloud=Custom needs Graph:BaseUrl and Graph:AuthorityHost.", [nameof(BaseUrl), nameof(AuthorityHost)]);
        }

        foreach (var (key, value) in new[] { (nameof(BaseUrl), BaseUrl), (nameof(AuthorityHost), AuthorityHost) })
        {
            if (!string.IsNullOrWhiteSpace(value) && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"Graph:{key} must be an absolute https URL (got '{value}').", [key]);
            }
        }

        if (EnableTeams && string.IsNullOrWhiteSpace(TeamsAppId))
        {
            yield return new ValidationResult("Graph:EnableTeams needs Graph:TeamsAppId (the Teams app that declares the activity types).", [nameof(TeamsAppId)]);
        }
    }
}
