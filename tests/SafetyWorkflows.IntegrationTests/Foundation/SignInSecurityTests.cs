using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using HttpContextAlias = Microsoft.AspNetCore.Http.HttpContext;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>Issue 15, finding 5: sign-in that resists guessing, audits every attempt, and can be revoked.</summary>
public sealed class SignInSecurityTests
{
    private static Task<HttpResponseMessage> TokenAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/auth/token", new { userName, password });

    private static async Task<HttpClient> BearerAsync(AppFactory app, string userName, string password)
    {
        var response = await TokenAsync(app.CreateClient(), userName, password);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task FiftyWrongPasswords_ThenTheRightOne_IsRefusedWith429AndRetryAfter_UntilTheLockRunsOut()
    {
        // Back-off off, so that only the lock-out counts here; the lock is 15 minutes.
        await using var app = new AppFactory(settings: new Dictionary<string, string> { ["Security:SignIn:BackoffSeconds"] = "0" });
        var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            statuses.Add((await TokenAsync(client, "zhaomin", $"guess-{i}")).StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(45, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var right = await TokenAsync(client, "zhaomin", AppFactory.DemoPassword);
        var problem = await ProblemAssert.IsProblemAsync(right, HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(right.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 14 * 60, 15 * 60);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfterSeconds").GetInt32());

        // Another person is not held back by zhaomin's lock.
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, "chenjing", AppFactory.DemoPassword)).StatusCode);

        // The security administrator lifts the lock; the right password works again.
        var security = await app.ClientForAsync("secadmin");
        var accounts = await security.GetFromJsonAsync<JsonElement>("/api/people/accounts");
        Assert.True(accounts.EnumerateArray().Single(a => a.GetProperty("userName").GetString() == "zhaomin").GetProperty("locked").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await security.PostAsync("/api/people/zhaomin/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, "zhaomin", AppFactory.DemoPassword)).StatusCode);
    }

    [Fact]
    public async Task AfterAFailure_TheNextAttemptWaits_ExponentialBackOff()
    {
        await using var app = new AppFactory(settings: new Dictionary<string, string> { ["Security:SignIn:BackoffSeconds"] = "30" });
        var client = app.CreateClient();

        // One slip is free: the right password right after it works.
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(client, "chenjing", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, "chenjing", AppFactory.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(client, "chenjing", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(client, "chenjing", "wrong again")).StatusCode);
        var soon = await TokenAsync(client, "chenjing", AppFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, soon.StatusCode);
        Assert.InRange(int.Parse(soon.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);
    }

    [Fact]
    public async Task UnknownAndKnownNames_AnswerAlike_AndAreThrottledAlike()
    {
        await using var app = new AppFactory(settings: new Dictionary<string, string> { ["Security:SignIn:BackoffSeconds"] = "0" });
        var client = app.CreateClient();

        var known = await TokenAsync(client, "wangqiang", "wrong");
        var unknown = await TokenAsync(client, "nobody-here", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
        var knownProblem = await known.Content.ReadFromJsonAsync<JsonElement>();
        var unknownProblem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(knownProblem.GetProperty("title").GetString(), unknownProblem.GetProperty("title").GetString());
        for (var i = 0; i < 4; i++)
        {
            await TokenAsync(client, "nobody-here", "wrong");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenAsync(client, "nobody-here", "wrong")).StatusCode);
    }

    [Fact]
    public async Task EveryFailedAndSuccessfulSignIn_IsAudited_WithTheNameTriedAndTheAddress()
    {
        await using var app = new AppFactory();
        var client = app.CreateClient();
        await TokenAsync(client, "nobody-here", "wrong");
        await TokenAsync(client, "wujie", AppFactory.DemoPassword);

        var failed = await app.ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Action = 'auth.sign-in-failed' AND Summary LIKE '%nobody-here%'");
        var succeeded = await app.ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Action = 'auth.sign-in' AND Actor = 'wujie'");
        Assert.Equal(1, failed);
        Assert.Equal(1, succeeded);
    }

    [Fact]
    public async Task APasswordChange_RevokesEveryTokenAtOnce_AndEnforcesThePolicy()
    {
        await using var app = new AppFactory();
        var first = await app.ClientForAsync("wujie");
        var second = await app.ClientForAsync("wujie");

        await ProblemAssert.IsProblemAsync(
            await first.PostAsJsonAsync("/api/me/password", new { currentPassword = "wrong", newPassword = "N3w-Passw0rd!" }), HttpStatusCode.BadRequest, "currentPassword");
        await ProblemAssert.IsProblemAsync(
            await first.PostAsJsonAsync("/api/me/password", new { currentPassword = AppFactory.DemoPassword, newPassword = "short" }), HttpStatusCode.BadRequest, "newPassword");
        await ProblemAssert.IsProblemAsync(
            await first.PostAsJsonAsync("/api/me/password", new { currentPassword = AppFactory.DemoPassword, newPassword = "alllowercaseletters" }), HttpStatusCode.BadRequest, "newPassword");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/me")).StatusCode);

        var change = await first.PostAsJsonAsync("/api/me/password", new { currentPassword = AppFactory.DemoPassword, newPassword = "N3w-Passw0rd!" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app.CreateClient(), "wujie", AppFactory.DemoPassword)).StatusCode);
        var fresh = await BearerAsync(app, "wujie", "N3w-Passw0rd!");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Logout_RevokesTheTokenItIsCalledWith_AndOnlyThatOne()
    {
        await using var app = new AppFactory();
        var phone = await app.ClientForAsync("zhengyu");
        var desk = await app.ClientForAsync("zhengyu");

        Assert.Equal(HttpStatusCode.NoContent, (await phone.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Logout_RevokesTheCookie_EvenACopyKeptElsewhere()
    {
        await using var app = new AppFactory();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignInWithCookieAsync(browser, "zhengyu", AppFactory.DemoPassword);

        using var copy = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        copy.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(copy)).StatusCode);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        replay.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(replay)).StatusCode);
    }

    [Fact]
    public async Task Deactivation_EndsSessionsAtOnce_AndActivationLetsThePersonBackIn()
    {
        await using var app = new AppFactory();
        var official = await app.ClientForAsync("songbo");
        var security = await app.ClientForAsync("secadmin");

        Assert.Equal(HttpStatusCode.NoContent, (await security.PostAsync("/api/people/songbo/deactivate", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await official.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app.CreateClient(), "songbo", AppFactory.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await security.PostAsync("/api/people/songbo/activate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(app.CreateClient(), "songbo", AppFactory.DemoPassword)).StatusCode);
        Assert.Equal(1, await app.ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Action = 'account.deactivate' AND Actor = 'secadmin'"));
    }

    [Fact]
    public async Task AReset_GivesATemporaryPassword_ThatOnlyLetsThePersonChooseANewOne()
    {
        await using var app = new AppFactory();
        var before = await app.ClientForAsync("fanzhi");
        var security = await app.ClientForAsync("secadmin");

        var reset = await security.PostAsJsonAsync("/api/people/fanzhi/reset-password", new { });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var temporary = (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("temporaryPassword").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/me")).StatusCode);
        var token = await TokenAsync(app.CreateClient(), "fanzhi", temporary);
        Assert.True((await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mustChangePassword").GetBoolean());
        var after = await BearerAsync(app, "fanzhi", temporary);
        await ProblemAssert.IsProblemAsync(await after.GetAsync("/api/libraries"), HttpStatusCode.Forbidden);
        Assert.True((await after.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("mustChangePassword").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await after.PostAsJsonAsync("/api/me/password", new { currentPassword = temporary, newPassword = "Oil-Depot-2026!" })).StatusCode);
        var chosen = await BearerAsync(app, "fanzhi", "Oil-Depot-2026!");
        Assert.Equal(HttpStatusCode.OK, (await chosen.GetAsync("/api/libraries")).StatusCode);
    }

    [Fact]
    public async Task TheThreeAdministrators_EachDoOnlyTheirOwnWork_AndNotOnThemselves()
    {
        await using var app = new AppFactory();
        var admin = await app.ClientForAsync("admin");
        var security = await app.ClientForAsync("secadmin");
        var auditor = await app.ClientForAsync("auditadmin");

        // The system administrator runs workflows, not accounts or the audit.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync("/api/people/wujie/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/elsa/api/workflow-definitions")).StatusCode);

        // The security administrator manages accounts, not workflows or the audit, and not their own account.
        Assert.Equal(HttpStatusCode.Forbidden, (await security.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await security.GetAsync("/api/audit/verify")).StatusCode);
        await ProblemAssert.IsProblemAsync(await security.PostAsJsonAsync("/api/people/secadmin/roles", new { roles = (string[])["security-admin", "admin"] }), HttpStatusCode.BadRequest, "roles");
        await ProblemAssert.IsProblemAsync(await security.PostAsync("/api/people/secadmin/deactivate", null), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await security.PostAsJsonAsync("/api/people/wujie/roles", new { roles = (string[])["inspector", "no-such-role"] }), HttpStatusCode.BadRequest, "roles");
        await ProblemAssert.IsProblemAsync(await security.PostAsync("/api/people/nobody-here/deactivate", null), HttpStatusCode.NotFound);

        // The audit administrator reads and verifies the audit, and nothing else.
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync("/api/people/wujie/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        var log = await auditor.GetFromJsonAsync<JsonElement>("/api/audit?action=auth.");
        Assert.All(log.EnumerateArray(), e => Assert.StartsWith("auth.", e.GetProperty("action").GetString(), StringComparison.Ordinal));
        Assert.True((await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("ok").GetBoolean());

        // What each did is on record under their name.
        Assert.Equal(1, await app.ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Action = 'audit.verify' AND Actor = 'auditadmin'"));
        Assert.Equal(1, await app.ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Action = 'audit.read' AND Actor = 'auditadmin'"));
    }

    [Fact]
    public async Task NewRoles_EndTheSessionsGrantedOnTheOldOnes()
    {
        await using var app = new AppFactory();
        var official = await app.ClientForAsync("wujie");
        var security = await app.ClientForAsync("secadmin");

        Assert.Equal(HttpStatusCode.NoContent, (await security.PostAsJsonAsync("/api/people/wujie/roles", new { roles = (string[])["inspector", "safety-clerk"] })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await official.GetAsync("/api/me")).StatusCode);
        var again = await app.ClientForAsync("wujie");
        var roles = (await again.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["inspector", "safety-clerk"], roles);
    }

    [Fact]
    public async Task CookieApiCalls_FromAnotherSite_AreRefused_AndSameSiteOnesPass()
    {
        await using var app = new AppFactory();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignInWithCookieAsync(browser, "zhaomin", AppFactory.DemoPassword);

        async Task<HttpResponseMessage> PostAsync(params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
            request.Headers.Add("Cookie", cookie);
            foreach (var (name, value) in headers)
            {
                request.Headers.Add(name, value);
            }

            return await browser.SendAsync(request);
        }

        await ProblemAssert.IsProblemAsync(await PostAsync(("Origin", "https://evil.example")), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await PostAsync(("Sec-Fetch-Site", "cross-site")), HttpStatusCode.Forbidden);
        using (var me = new HttpRequestMessage(HttpMethod.Get, "/api/me"))
        {
            me.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(me)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin"))).StatusCode);
    }

    [Fact]
    public async Task BehindAKnownProxy_CookiesAreSecure_AndHstsIsSent()
    {
        // Every request reaches the app from the proxy's address, as it would behind a TLS terminator.
        await using var app = new AppFactory(
            settings: new Dictionary<string, string> { ["Security:KnownProxies:0"] = "10.0.0.5" },
            services: services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, FromProxy>());
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var fromProxy = new HttpRequestMessage(HttpMethod.Get, "/login");
        fromProxy.Headers.Add("X-Forwarded-For", "203.0.113.7");
        fromProxy.Headers.Add("X-Forwarded-Proto", "https");
        var page = await client.SendAsync(fromProxy);

        Assert.True(page.Headers.Contains("Strict-Transport-Security"), "HSTS on an https answer");
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        using var direct = new HttpRequestMessage(HttpMethod.Get, "/login");
        var plain = await client.SendAsync(direct);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    private sealed class FromProxy : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContextAlias context, Func<Task> nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
                await nextMiddleware();
            });
            next(app);
        };
    }

    private static async Task<string> SignInWithCookieAsync(HttpClient browser, string userName, string password)
    {
        var loginPage = await browser.GetAsync("/login");
        var html = await loginPage.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var antiforgeryCookie = string.Join("; ", loginPage.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = userName,
                ["password"] = password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var signIn = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("sw.auth=", StringComparison.Ordinal));
    }
}
