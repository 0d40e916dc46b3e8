using Microsoft.Extensions.Options;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notices;

/// <summary><c>Notices:*</c> is validated at start: a bad key stops the app with a message naming it.</summary>
public sealed class NoticeOptionsTests
{
    [Theory]
    [InlineData("Notices:AgencyCodes:no-such-kind", "安办", "Notices:AgencyCodes:no-such-kind")]
    [InlineData("Notices:AgencyCodes:rectification-order", "安 办", "Notices:AgencyCodes:rectification-order")]
    [InlineData("Notices:FontPath", "/nonexistent/font.ttc", "Notices:FontPath")]
    [InlineData("Notices:SigningAlgorithm", "Dsa", "Notices:SigningAlgorithm")]
    public async Task ABadNoticesKey_StopsTheAppAtStart_NamingIt(string key, string value, string named)
    {
        await using var app = new AppFactory(settings: new Dictionary<string, string> { [key] = value });

        var error = Record.Exception(() => app.Services);

        Assert.NotNull(error);
        Assert.Contains(named, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnRsaKeyFile_WhenSm2IsConfigured_StopsTheAppNamingTheKeys()
    {
        var data = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        await using (var rsa = new AppFactory(dataDirectory: data, settings: new Dictionary<string, string> { ["Notices:CertificatePath"] = "notices/key.pem" }))
        {
            _ = rsa.Services;
        }

        await using var sm2 = new AppFactory(dataDirectory: data, settings: new Dictionary<string, string>
        {
            ["Notices:CertificatePath"] = "notices/key.pem", ["Notices:SigningAlgorithm"] = "Sm2",
        });
        var error = Record.Exception(() => sm2.Services);

        Assert.NotNull(error);
        Assert.Contains("Notices:SigningAlgorithm is Sm2 but the key", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) => error switch
    {
        OptionsValidationException options => string.Join(" ", options.Failures) + " " + options.Message,
        AggregateException aggregate => string.Join(" ", aggregate.InnerExceptions.Select(Flatten)),
        { InnerException: { } inner } => error.Message + " " + Flatten(inner),
        _ => error.Message,
    };
}
