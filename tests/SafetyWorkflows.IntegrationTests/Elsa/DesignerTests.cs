using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Web.Designer;

namespace SafetyWorkflows.IntegrationTests.Elsa;

/// <summary>
/// What the real Elsa Studio needs from us besides its browser: the designer pages for administrators only, the bundle
/// served with its content types, the descriptors of our domain activities, and the publish guard.
/// </summary>
public sealed class DesignerTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    public static TheoryData<string> DesignerPages => ["/designer", "/designer/rectification-order", "/designer/instances", "/designer/instances/0123456789abcdef"];

    [Theory]
    [MemberData(nameof(DesignerPages))]
    public async Task DesignerPages_AreForAdministratorsOnly(string path)
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var admin = await App.ClientForAsync("admin");
        var anonymous = App.CreateClient(new() { AllowAutoRedirect = false });

        var refused = await clerk.GetAsync(path);
        var shown = await admin.GetAsync(path);
        var redirected = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("流程设计器仅限系统管理员使用", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var html = await shown.Content.ReadAsStringAsync();
        Assert.Contains("data-element=\"elsa-", html, StringComparison.Ordinal);
        Assert.Contains("<base href=\"/designer/\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("googleapis", html, StringComparison.Ordinal);
        Assert.DoesNotContain("gstatic", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/login", redirected.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>Every write the Elsa API maps, found from the routing table rather than listed by hand, so a new one cannot slip through.</summary>
    [Fact]
    public async Task NonAdministrator_Gets403_OnEveryElsaApiWrite()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var writes = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/elsa/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .Where(w => w.Method != "GET")
            .ToList();

        var answers = new List<string>();
        foreach (var (method, route) in writes)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:\w+)?\}", m => m.Groups[2].Success ? "1" : "x");
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            var response = await clerk.SendAsync(request);
            answers.Add($"{method} {path} {(int)response.StatusCode}");
        }

        Assert.True(writes.Count >= 15, $"only {writes.Count} writes found: {string.Join(", ", answers)}");
        Assert.All(answers, a => Assert.EndsWith(" 403", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StudioBundle_IsServedWithItsContentTypes_Precompressed_AndItsSettingsPointAtThisApi()
    {
        var client = App.CreateClient();
        var bundle = App.Services.GetRequiredService<StudioFiles>().Directory;
        var wasm = Path.GetFileName(Directory.EnumerateFiles(Path.Combine(bundle, "_framework"), "Elsa.Api.Client.*.wasm").First());
        var icu = Path.GetFileName(Directory.EnumerateFiles(Path.Combine(bundle, "_framework"), "icudt*.dat").First());

        var plain = await client.GetAsync($"/designer/_framework/{wasm}");
        using var brotliRequest = new HttpRequestMessage(HttpMethod.Get, $"/designer/_framework/{wasm}");
        brotliRequest.Headers.AcceptEncoding.ParseAdd("br");
        var brotli = await client.SendAsync(brotliRequest);
        var data = await client.GetAsync($"/designer/_framework/{icu}");
        var script = await client.GetAsync("/designer/_framework/blazor.webassembly.js");
        var styles = await client.GetAsync("/designer/Elsa.Studio.Host.CustomElements.styles.css");
        var settings = await client.GetFromJsonAsync<JsonObject>("/designer/appsettings.json");
        var packageManifest = await client.GetAsync("/designer/package.json");

        Assert.Equal("application/wasm", plain.Content.Headers.ContentType!.MediaType);
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(bundle, "_framework", wasm)), bytes);
        Assert.Equal("application/wasm", brotli.Content.Headers.ContentType!.MediaType);
        Assert.Equal("br", Assert.Single(brotli.Content.Headers.ContentEncoding));
        await using var decoded = new BrotliStream(await brotli.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var unpacked = new MemoryStream();
        await decoded.CopyToAsync(unpacked);
        Assert.Equal(bytes, unpacked.ToArray());
        Assert.Equal("application/octet-stream", data.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/css", styles.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("/elsa/api", settings!["Backend"]!["Url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("elsa-studio-wasm", await packageManifest.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DomainActivityDescriptors_AreChinese_WithPickersFedFromTheOrganisation_AndAPortPerOutcome()
    {
        var admin = await App.ClientForAsync("admin");

        var activities = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities?Refresh=True"))!["items"]!.AsArray();
        var expressions = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/expression-descriptors"))!["items"]!.AsArray();
        var drivers = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/storage-drivers"))!["items"]!.AsArray();
        var variables = (await admin.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/variables"))!["items"]!.AsArray();

        var approval = activities.Single(a => a!["typeName"]!.GetValue<string>() == "SafetyWorkflows.RequestApproval")!;
        Assert.Equal("安全生产", approval["category"]!.GetValue<string>());
        Assert.Equal("请求审批", approval["displayName"]!.GetValue<string>());
        Assert.True(approval["isBrowsable"]!.GetValue<bool>());
        var inputs = approval["inputs"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!);
        Assert.All(inputs.Values, i => Assert.True(i["isBrowsable"]!.GetValue<bool>()));
        var assignees = inputs["Assignees"];
        Assert.Equal("checklist", assignees["uiHint"]!.GetValue<string>());
        var choices = assignees["uiSpecifications"]!["checklist"]!["checkList"]!["items"]!.AsArray()
            .ToDictionary(i => i!["value"]!.GetValue<string>(), i => i!["text"]!.GetValue<string>());
        Assert.Equal("角色：镇长", choices["mayor"]);
        Assert.Equal("单位：石塘采石场（主要负责人）", choices["unit:shitang-quarry"]);
        Assert.DoesNotContain("unit:expert-pool", choices.Keys);
        Assert.StartsWith("人员：孙立", choices["user:sunli"], StringComparison.Ordinal);
        Assert.Equal("dropdown", inputs["Mode"]["uiHint"]!.GetValue<string>());
        Assert.Contains(inputs["Mode"]["uiSpecifications"]!["dropdown"]!["selectList"]!["items"]!.AsArray(),
            i => i!["value"]!.GetValue<string>() == "AllMustApprove" && i["text"]!.GetValue<string>().StartsWith("会签", StringComparison.Ordinal));
        Assert.Contains("工作日", inputs["Due"]["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("dynamic-outcomes", inputs["Outcomes"]["uiHint"]!.GetValue<string>());
        Assert.Equal(["Approved", "Rejected", "SentBack", "TimedOut"],
            inputs["Outcomes"]["uiSpecifications"]!["DynamicOutcomesOptions"]!["fixedOutcomes"]!.AsArray().Select(o => o!.GetValue<string>()).ToArray());
        var signature = activities.Single(a => a!["typeName"]!.GetValue<string>() == "SafetyWorkflows.RequestSignature")!;
        Assert.Equal(["Signed", "Refused", "TimedOut"], signature["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray());
        Assert.All(activities, a => Assert.False(string.IsNullOrEmpty(a!["displayName"]?.GetValue<string>())));
        Assert.Contains(expressions, e => e!["type"]!.GetValue<string>() == "JavaScript");
        Assert.Contains(expressions, e => e!["type"]!.GetValue<string>() == "Liquid");
        Assert.NotEmpty(drivers);
        Assert.Contains(variables, v => v!["typeName"]!.GetValue<string>() == "String");
    }

    public static TheoryData<string, string, string> Unrunnable => new()
    {
        { "unknown-type", "endDraft", "Acme.Missing" },
        { "dangling-connection", "closed", "ghost" },
        { "javascript-syntax", "major", "JavaScript" },
        { "no-assignees", "section", "没有指定办理人" },
        { "timeout-without-timedout", "evidence", "TimedOut" },
    };

    /// <summary>A definition the runtime cannot run may be kept as a draft, but its publish answers 400 in the shape the Studio shows, and the published version stays.</summary>
    [Theory]
    [MemberData(nameof(Unrunnable))]
    public async Task UnrunnableDefinition_SavesAsDraft_ButItsPublishIs400_AndThePublishedVersionStays(string breakage, string activityId, string expected)
    {
        var admin = await App.ClientForAsync("admin");
        var definitionId = $"guard-{breakage}";
        var good = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "workflows", "rectification-order.json")))!.AsObject();
        good.Remove("$schema");
        good["definitionId"] = definitionId;
        good["id"] = $"{definitionId}-v1";
        (await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = good.DeepClone(), ["publish"] = true }))).EnsureSuccessStatusCode();
        var broken = Break(good, breakage);

        var draft = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = broken.DeepClone(), ["publish"] = false }));
        var refused = await admin.PostAsync("/elsa/api/workflow-definitions", Json(new JsonObject { ["model"] = broken, ["publish"] = true }));

        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, activityId);
        var message = problem.GetProperty("errors").GetProperty(activityId)[0].GetString()!;
        Assert.Contains(activityId, message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        var published = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Published");
        Assert.Equal(1, published!["version"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(good["root"], published["root"]), "the published version changed");
        var latest = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Latest");
        Assert.Equal(2, latest!["version"]!.GetValue<int>());
        Assert.False(latest["isPublished"]!.GetValue<bool>());
    }

    private static JsonObject Break(JsonObject good, string breakage)
    {
        var broken = (JsonObject)good.DeepClone();
        var root = broken["root"]!;
        JsonNode Activity(string id) => root["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == id)!;
        switch (breakage)
        {
            case "unknown-type":
                Activity("endDraft")["type"] = "Acme.Missing";
                break;
            case "timeout-without-timedout":
                Activity("evidence")["timeout"] = JsonNode.Parse("""{ "typeName": "String", "expression": { "type": "Literal", "value": "10WD" } }""");
                break;
            case "dangling-connection":
                root["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "closed", "port": "Done" }, "target": { "activity": "ghost", "port": "In" }, "vertices": [] }"""));
                break;
            case "javascript-syntax":
                Activity("major")["condition"]!["expression"]!["value"] = "const m = getInput('metadata'); return m.grade == ;";
                break;
            default:
                Activity("section")["assignees"]!["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[]" };
                break;
        }

        return broken;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
