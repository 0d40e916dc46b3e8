using System.Globalization;
using System.Net;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Graph.Users.Item.Teamwork.SendActivityNotification;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using SafetyWorkflows.Core.Notifications;

namespace SafetyWorkflows.Infrastructure.Notifications;

/// <summary>
/// One <see cref="GraphServiceClient"/> per process, app-only (client secret or certificate, <c>.default</c> scope of the
/// cloud's Graph host). The SDK's retry handler is taken out of the pipeline: a 429 or 503 comes back to the dispatcher,
/// which reschedules the delivery after Retry-After instead of holding a worker in a retry loop.
/// </summary>
public sealed class GraphClientProvider(IOptions<GraphOptions> options) : IDisposable
{
    private readonly Lazy<GraphServiceClient> _client = new(() => Create(options.Value));

    public GraphServiceClient Client => _client.Value;

    private static GraphServiceClient Create(GraphOptions graph)
    {
        var credential = Credential(graph);

        // The SDK only sends a token to hosts it knows; a custom Graph host (proxy, test double) must be allowed explicitly.
        var authentication = new Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider(
            credential, [graph.GraphBaseUrl.Host], null, true, graph.Scope);
        var handlers = GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler).ToList();
        var http = GraphClientFactory.Create(handlers);
        return new GraphServiceClient(http, authentication, graph.GraphBaseUrl.ToString());
    }

    private static TokenCredential Credential(GraphOptions graph)
    {
        // Instance discovery asks login.microsoftonline.com about the authority: skip it for hosts it cannot know.
        var custom = graph.Cloud == GraphCloud.Custom || !string.IsNullOrWhiteSpace(graph.AuthorityHost);
        if (!string.IsNullOrWhiteSpace(graph.CertificatePath))
        {
            return new ClientCertificateCredential(graph.TenantId, graph.ClientId, graph.CertificatePath,
                new ClientCertificateCredentialOptions { AuthorityHost = graph.Authority, DisableInstanceDiscovery = custom });
        }

        return new ClientSecretCredential(graph.TenantId, graph.ClientId, graph.ClientSecret,
            new ClientSecretCredentialOptions { AuthorityHost = graph.Authority, DisableInstanceDiscovery = custom });
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    /// <summary>Maps a Graph failure to what the dispatcher does next.</summary>
    internal static SendOutcome Classify(Exception exception, TimeProvider clock)
    {
        if (exception is not ApiException api)
        {
            return new SendOutcome.RetryLater(TimeSpan.Zero, exception.Message);
        }

        var code = api.ResponseStatusCode;
        var reason = exception is ODataError { Error: { } error } ? $"{code} {error.Code}: {error.Message}" : $"{code}: {api.Message}";
        if (code is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable)
        {
            var header = api.ResponseHeaders.TryGetValue("Retry-After", out var values) ? values.FirstOrDefault() : null;
            return new SendOutcome.RetryLater(RetryAfter.Parse(header, clock.GetUtcNow()) ?? TimeSpan.FromSeconds(30), $"Graph {reason}");
        }

        if (code is >= 400 and < 500 and not (int)HttpStatusCode.RequestTimeout)
        {
            return new SendOutcome.Failed($"Graph {reason}");
        }

        return new SendOutcome.RetryLater(TimeSpan.Zero, $"Graph {reason}");
    }
}

/// <summary>Reads a Retry-After value: delta seconds (also fractional, as Graph sometimes sends) or an HTTP date.</summary>
public static class RetryAfter
{
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 0.1, TimeSpan.FromDays(1).TotalSeconds));
        }

        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - now;
            return delay > TimeSpan.FromMilliseconds(100) ? delay : TimeSpan.FromMilliseconds(100);
        }

        return null;
    }
}

/// <summary>Mail through <c>POST /users/{sender}/sendMail</c>, HTML, with a stable internetMessageId per delivery.</summary>
public sealed class GraphMailChannel(GraphClientProvider graph, IOptions<GraphOptions> options, TimeProvider clock) : INotificationChannel
{
    public const string DeliveryHeader = "X-SafetyWorkflows-Delivery";

    public DeliveryChannel Channel => DeliveryChannel.Mail;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Client.Users[options.Value.SenderUserId].SendMail.PostAsync(Body(message), cancellationToken: cancellationToken);
            return new SendOutcome.Sent();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return GraphClientProvider.Classify(ex, clock);
        }
    }

    public static SendMailPostRequestBody Body(OutgoingMessage message) => new()
    {
        Message = new Message
        {
            Subject = message.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = message.HtmlBody },
            ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = message.Address, Name = message.Recipient } }],
            InternetMessageId = message.MessageId,
            InternetMessageHeaders = [new InternetMessageHeader { Name = DeliveryHeader, Value = message.DeliveryId.ToString() }],
        },
        SaveToSentItems = true,
    };

    /// <summary>Looks for the delivery's internetMessageId in the sender's Sent Items (needs Mail.ReadBasic.All; without it, unknown).</summary>
    public async Task<bool?> WasSentAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var found = await graph.Client.Users[options.Value.SenderUserId].MailFolders["sentitems"].Messages.GetAsync(request =>
            {
                request.QueryParameters.Filter = $"internetMessageId eq '{message.MessageId}'";
                request.QueryParameters.Select = ["id"];
                request.QueryParameters.Top = 1;
            }, cancellationToken);
            return found?.Value is { Count: > 0 };
        }
        catch (ApiException)
        {
            return null;
        }
    }
}

/// <summary>
/// The Teams activity feed through <c>POST /users/{user}/teamwork/sendActivityNotification</c>. Teams shows only notices of
/// an app installed for the user whose manifest declares the activity type <c>safetyNotice</c> (see README).
/// </summary>
public sealed class GraphTeamsChannel(GraphClientProvider graph, IOptions<GraphOptions> options, TimeProvider clock) : INotificationChannel
{
    public const string ActivityType = "safetyNotice";

    public DeliveryChannel Channel => DeliveryChannel.Teams;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Client.Users[message.Address].Teamwork.SendActivityNotification.PostAsync(Body(message, options.Value), cancellationToken: cancellationToken);
            return new SendOutcome.Sent();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return GraphClientProvider.Classify(ex, clock);
        }
    }

    public static SendActivityNotificationPostRequestBody Body(OutgoingMessage message, GraphOptions graph)
    {
        var teams = graph.Cloud == GraphCloud.China ? "https://teams.microsoftonline.cn" : "https://teams.microsoft.com";
        var deepLink = $"{teams}/l/entity/{Uri.EscapeDataString(graph.TeamsAppId ?? "")}/safety?webUrl={Uri.EscapeDataString(message.Link)}&label={Uri.EscapeDataString(message.Subject)}";
        return new SendActivityNotificationPostRequestBody
        {
            Topic = new TeamworkActivityTopic { Source = TeamworkActivityTopicSource.Text, Value = message.Subject, WebUrl = deepLink },
            ActivityType = ActivityType,
            PreviewText = new ItemBody { Content = message.TextBody.Length > 150 ? message.TextBody[..150] : message.TextBody },
            TemplateParameters = [new Microsoft.Graph.Models.KeyValuePair { Name = "title", Value = message.Subject }],
        };
    }

    /// <summary>The feed keeps no record to ask; a notice sent twice after a crash is harmless (it points at the same task).</summary>
    public Task<bool?> WasSentAsync(OutgoingMessage message, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);
}

/// <summary>Without Graph: the rendered message is kept on its delivery row and shown on <c>/outbox</c>.</summary>
public sealed class LocalOutboxChannel : INotificationChannel
{
    public DeliveryChannel Channel => DeliveryChannel.LocalOutbox;

    public Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => Task.FromResult<SendOutcome>(new SendOutcome.Sent());

    public Task<bool?> WasSentAsync(OutgoingMessage message, CancellationToken cancellationToken) => Task.FromResult<bool?>(false);
}
