using System.Globalization;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

public sealed class NotificationSettingsTests
{
    [Theory]
    [InlineData("120", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData(" 0.25 ", 250)]
    public void RetryAfter_ReadsSecondsAndFractionalSeconds(string header, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfter.Parse(header, DateTimeOffset.UnixEpoch));

    [Fact]
    public void RetryAfter_ReadsAnHttpDate_AsTheTimeUntilThen()
    {
        var now = new DateTimeOffset(2024, 6, 1, 8, 0, 0, TimeSpan.Zero);

        var delay = RetryAfter.Parse(now.AddSeconds(42).ToString("r", CultureInfo.InvariantCulture), now);

        Assert.Equal(TimeSpan.FromSeconds(42), delay);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void RetryAfter_IsNull_WhenMissingOrUnreadable(string? header) => Assert.Null(RetryAfter.Parse(header, DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("Global", "https://graph.microsoft.com/v1.0", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default")]
    [InlineData("China", "https://microsoftgraph.chinacloudapi.cn/v1.0", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/.default")]
    [InlineData("UsGovernment", "https://graph.microsoft.us/v1.0", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default")]
    public void GraphCloud_NamesItsHostsAndScope(string cloud, string graph, string authority, string scope)
    {
        var options = new GraphOptions { Cloud = Enum.Parse<GraphCloud>(cloud) };

        Assert.Equal(graph, options.GraphBaseUrl.ToString().TrimEnd('/'));
        Assert.Equal(authority, options.Authority.ToString());
        Assert.Equal(scope, options.Scope);
    }

    [Theory]
    [InlineData("Graph:ClientSecret", "", "Graph:ClientSecret")]
    [InlineData("Graph:SenderUserId", "", "Graph:SenderUserId")]
    [InlineData("Graph:BaseUrl", "http://graph.local/v1.0", "Graph:BaseUrl")]
    [InlineData("Graph:EnableTeams", "true", "Graph:TeamsAppId")]
    public void Start_IsRefused_NamingTheKey_WhenGraphSettingsAreIncomplete(string key, string value, string named)
    {
        var settings = new Dictionary<string, string>
        {
            ["Graph:TenantId"] = "contoso",
            ["Graph:ClientId"] = "client",
            ["Graph:ClientSecret"] = "secret",
            ["Graph:SenderUserId"] = "office@town.example.com",
            [key] = value,
        };
        using var app = new AppFactory(settings: settings);

        var error = Assert.Throws<OptionsValidationException>(() => app.Server);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_IsRefused_WhenOnlyOneOfTenantAndClientIsSet()
    {
        using var app = new AppFactory(settings: new Dictionary<string, string> { ["Graph:TenantId"] = "contoso" });

        var error = Assert.Throws<OptionsValidationException>(() => app.Server);

        Assert.Contains("Graph:TenantId and Graph:ClientId go together", error.Message, StringComparison.Ordinal);
    }
}
