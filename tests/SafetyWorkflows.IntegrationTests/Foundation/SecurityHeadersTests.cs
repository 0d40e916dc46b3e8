using System.Net;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>Every answer is nosniff with a same-origin referrer; pages carry a content security policy and may not be framed elsewhere (issue 15, finding 6).</summary>
public sealed class SecurityHeadersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/inbox", true)]
    [InlineData("/login", true)]
    [InlineData("/api/me", false)]
    [InlineData("/api/libraries", false)]
    public async Task Answers_CarryTheWebDefences(string path, bool page)
    {
        var client = await fixture.App.ClientForAsync("wangqiang");
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        if (page)
        {
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self' 'wasm-unsafe-eval'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("'unsafe-eval'", csp.Replace("'wasm-unsafe-eval'", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        }
        else
        {
            Assert.False(response.Headers.Contains("Content-Security-Policy"));
        }
    }
}
