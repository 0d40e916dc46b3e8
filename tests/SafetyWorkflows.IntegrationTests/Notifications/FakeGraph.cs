using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Http;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

/// <summary>
/// A fake Entra token authority and a fake Microsoft Graph, each on its own HTTPS port, speaking just enough of the
/// protocols for the real Azure.Identity and Graph SDK: client-credentials tokens, <c>sendMail</c> (with Sent Items to
/// search by internetMessageId) and <c>sendActivityNotification</c>. A test scripts the answers a recipient's mail gets.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    public const string TenantId = "contoso-township";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "not-a-real-secret";
    public const string Sender = "safety-office@town.example.com";
    public const string TeamsAppId = "6f6a3f2e-0000-4000-8000-00000000a11c";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<IResult>>> _scripts = new(StringComparer.OrdinalIgnoreCase);

    private FakeGraph()
    {
    }

    public string AccessToken { get; } = "fake-graph-token-" + Guid.NewGuid().ToString("N");

    public FakeHttpsServer Authority { get; private set; } = null!;

    public FakeHttpsServer Graph { get; private set; } = null!;

    /// <summary>Mails Graph accepted, by internetMessageId (what the sender's Sent Items would hold).</summary>
    public ConcurrentDictionary<string, JsonNode> SentItems { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeGraph> StartAsync()
    {
        var fake = new FakeGraph();
        fake.Authority = await FakeHttpsServer.StartAsync(fake.TokenAsync);
        fake.Graph = await FakeHttpsServer.StartAsync(fake.GraphAsync);
        return fake;
    }

    /// <summary>The next answers to sendMail for <paramref name="address"/>; after them, 202.</summary>
    public void Script(string address, params Func<IResult>[] answers)
    {
        var queue = _scripts.GetOrAdd(address, _ => new ConcurrentQueue<Func<IResult>>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    public IReadOnlyList<(RecordedRequest Request, JsonObject Body)> SendMails(string address) =>
        Graph.Requests.Where(r => r.Path.EndsWith("/sendMail", StringComparison.Ordinal))
            .Select(r => (r, Json(r.Body).AsObject()))
            .Where(x => string.Equals(Address(x.Item2), address, StringComparison.OrdinalIgnoreCase)).ToList();

    public IReadOnlyList<(RecordedRequest Request, JsonObject Body)> ActivityNotices(string user) =>
        Graph.Requests.Where(r => r.Path.Equals($"/v1.0/users/{user}/teamwork/sendActivityNotification", StringComparison.OrdinalIgnoreCase))
            .Select(r => (r, Json(r.Body).AsObject())).ToList();

    public static IResult GraphError(int status, string code, string message, string? retryAfter = null) => new ErrorResult(status, code, message, retryAfter);

    /// <summary>
    /// Graph reads property names case-insensitively, and the SDK relies on it: the sendMail action's parameters go out as
    /// <c>Message</c> and <c>SaveToSentItems</c>, as the service's metadata spells them.
    /// </summary>
    private static JsonNode Json(string text) => JsonNode.Parse(text, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;

    private static string? Address(JsonObject body) => body["message"]?["toRecipients"]?[0]?["emailAddress"]?["address"]?.GetValue<string>();

    private Task<IResult> TokenAsync(RecordedRequest request, HttpContext context)
    {
        if (request.Method != "POST" || request.Path != $"/{TenantId}/oauth2/v2.0/token")
        {
            return Task.FromResult(Results.NotFound());
        }

        var form = HttpUtility.ParseQueryString(request.Body);
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Task.FromResult(Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401));
        }

        return Task.FromResult(Results.Json(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = AccessToken }));
    }

    private Task<IResult> GraphAsync(RecordedRequest request, HttpContext context)
    {
        if (request.Authorization != "Bearer " + AccessToken)
        {
            return Task.FromResult(GraphError(401, "InvalidAuthenticationToken", "Access token is empty or invalid."));
        }

        if (request.Method == "POST" && request.Path == $"/v1.0/users/{Sender}/sendMail")
        {
            var body = Json(request.Body).AsObject();
            var answer = _scripts.TryGetValue(Address(body) ?? "", out var queue) && queue.TryDequeue(out var scripted) ? scripted() : Results.StatusCode(202);
            if (answer is IStatusCodeHttpResult { StatusCode: 202 })
            {
                SentItems.TryAdd(body["message"]!["internetMessageId"]!.GetValue<string>(), body);
            }

            return Task.FromResult(answer);
        }

        if (request.Method == "GET" && request.Path.Equals($"/v1.0/users/{Sender}/mailFolders/sentitems/messages", StringComparison.OrdinalIgnoreCase))
        {
            var filter = HttpUtility.ParseQueryString(request.Query)["$filter"] ?? "";
            var id = filter.Split('\'') is { Length: >= 2 } parts ? parts[1] : "";
            var found = SentItems.ContainsKey(id) ? new[] { new { id = "AAMk" + Guid.NewGuid().ToString("N") } } : [];
            return Task.FromResult(Results.Json(new { value = found }));
        }

        if (request.Method == "POST" && request.Path.EndsWith("/teamwork/sendActivityNotification", StringComparison.Ordinal))
        {
            return Task.FromResult(Results.NoContent());
        }

        return Task.FromResult(GraphError(404, "ResourceNotFound", $"no fake for {request.Method} {request.Path}"));
    }

    public async ValueTask DisposeAsync()
    {
        await Graph.DisposeAsync();
        await Authority.DisposeAsync();
    }

    private sealed class ErrorResult(int status, string code, string message, string? retryAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                httpContext.Response.Headers.RetryAfter = retryAfter;
            }

            await httpContext.Response.WriteAsJsonAsync(new { error = new { code, message } });
        }
    }
}
