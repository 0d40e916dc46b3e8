using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

public sealed class AuthTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task Token_ThenMe_ReturnsTheCaller()
    {
        var client = await App.ClientForAsync("yangshan");

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal("yangshan", me.GetProperty("userName").GetString());
        Assert.Equal("杨山", me.GetProperty("displayName").GetString());
        Assert.Equal(["village-head"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal("qingshan-village", me.GetProperty("unitId").GetString());
    }

    [Fact]
    public async Task Token_WrongPassword_Answers401Problem()
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { userName = "caiying", password = "wrong-password" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_MalformedJson_Answers400Problem()
    {
        var response = await App.CreateClient().PostAsync("/api/auth/token", new StringContent("{\"userName\": ", System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Token_MissingPassword_Answers400NamingIt()
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { userName = "zhaomin" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "password");
    }

    [Fact]
    public async Task Api_WithoutCredentials_Answers401_NotARedirect()
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/libraries")).StatusCode);
    }

    [Fact]
    public async Task Api_WithGarbageBearer_Answers401()
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task People_IsForTheSystemAndSecurityAdministrators_AndVerifyForTheAuditAdministrator()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var admin = await App.ClientForAsync("admin");
        var security = await App.ClientForAsync("secadmin");
        var auditor = await App.ClientForAsync("auditadmin");

        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/api/people")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/api/audit/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/people")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await security.GetAsync("/api/people")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/audit/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/audit/verify")).StatusCode);
    }

    [Fact]
    public async Task WebPages_RedirectToLogin_AndCookieSignInWorksOnTheApiToo()
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var loginPage = await client.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(loginPage, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the login form carries an antiforgery token");

        var withoutToken = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "zhaomin", ["password"] = AppFactory.DemoPassword }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "zhaomin",
            ["password"] = AppFactory.DemoPassword,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("zhaomin", me.GetProperty("userName").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesTheApi()
    {
        var openApi = await App.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/libraries/{key}/documents", out _));
        Assert.True(paths.TryGetProperty("/api/documents/{id}/checkin", out _));
        Assert.True(paths.TryGetProperty("/api/audit/verify", out _));
    }

    [Fact]
    public async Task Libraries_ListTheSeededOnesWithTypedColumns()
    {
        var clerk = await App.ClientForAsync("zhaomin");

        var libraries = await clerk.GetFromJsonAsync<JsonElement>("/api/libraries");

        Assert.Equal(["responsibility-letters", "emergency-plans", "rectification-orders", "drill-records", "meeting-minutes", "filing-receipts", "accident-reports",
            "assessment-reviews"], libraries.EnumerateArray().Select(l => l.GetProperty("key").GetString()!).ToArray());
        var grade = libraries[2].GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "grade");
        Assert.Equal("choice", grade.GetProperty("type").GetString());
        Assert.Equal(["一般", "重大"], grade.GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray());
        var planType = libraries[1].GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "planType");
        Assert.Contains("现场处置方案", planType.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
    }
}
