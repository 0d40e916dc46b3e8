using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>
/// Issue 15, finding 7: each cause of the 500s the fuzzing found, reproduced, answering 400/404/409/415 with problem+json.
/// </summary>
public sealed class NoServerErrorTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private const string Letters = "/api/libraries/responsibility-letters/documents";

    /// <summary>A raw multipart body with one file part and a metadata part, cut short when asked.</summary>
    private static ByteArrayContent RawMultipart(string boundary, bool truncate, bool withMetadata = true)
    {
        var text = new StringBuilder();
        text.Append("--").Append(boundary).Append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n")
            .Append("Content-Type: application/pdf\r\n\r\n%PDF-1.4\n% fuzz\n%%EOF\n\r\n");
        if (withMetadata)
        {
            text.Append("--").Append(boundary).Append("\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n")
                .Append(JsonSerializer.Serialize(TestFiles.LetterMetadata())).Append("\r\n");
        }

        text.Append("--").Append(boundary).Append("--\r\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var content = new ByteArrayContent(truncate ? bytes[..(bytes.Length / 2)] : bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    private async Task<(Guid Draft, Guid Task)> DraftAndTaskAsync()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync(Letters, TestFiles.Upload(TestFiles.Pdf("draft"), "a.pdf", TestFiles.LetterMetadata(), "青山村责任书（无 500）"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var draft = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsync($"/api/documents/{draft}/checkout", null)).StatusCode);
        var pending = await new ApprovalDriver(App).UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（无 500 送审）");
        var task = Assert.Single(await new ApprovalDriver(App).OpenTasksAsync("wangqiang", pending));
        return (draft, task);
    }

    [Theory]
    [InlineData(false, true)]   // truncated
    [InlineData(true, false)]   // boundary of 71 characters
    [InlineData(true, true)]
    public async Task BrokenMultipart_OnEveryUpload_Is400NamingFile(bool longBoundary, bool truncate)
    {
        var (draft, task) = await DraftAndTaskAsync();
        var boundary = longBoundary ? new string('b', 71) : "fuzz-boundary";
        var clerk = await App.ClientForAsync("zhaomin");
        var admin = await App.ClientForAsync("admin");

        await ProblemAssert.IsProblemAsync(await clerk.PostAsync(Letters, RawMultipart(boundary, truncate)), HttpStatusCode.BadRequest, "file");
        await ProblemAssert.IsProblemAsync(await clerk.PostAsync($"/api/documents/{draft}/checkin", RawMultipart(boundary, truncate)), HttpStatusCode.BadRequest, "file");
        var head = await App.ClientForAsync("wangqiang");
        await ProblemAssert.IsProblemAsync(await head.PostAsync($"/api/tasks/{task}/files", RawMultipart(boundary, truncate, withMetadata: false)), HttpStatusCode.BadRequest, "file");
        var import = await admin.PostAsync("/elsa/api/workflow-definitions/import-files", RawMultipart(boundary, truncate, withMetadata: false));
        await ProblemAssert.IsProblemAsync(import, HttpStatusCode.BadRequest, longBoundary ? "file" : "files");
    }

    [Theory]
    [InlineData("/libraries/responsibility-letters")]
    [InlineData("/libraries/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/inbox")]
    public async Task BrokenMultipart_SentToAPage_IsNot500(string path)
    {
        // A page binds its query from the form too, so a GET with a cut-short form body reads it (found by the fuzz test).
        var clerk = await App.ClientForAsync("zhaomin");
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Content = RawMultipart("fuzz", truncate: true) };
        var response = await clerk.SendAsync(request);
        // The inbox never reads the form (200); the library page does, and says it is broken (400), or knows no such library (404).
        Assert.True((int)response.StatusCode is 200 or 400 or 404, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task MultipartWithoutBoundary_Is400NamingFile()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var content = new ByteArrayContent("--x\r\n\r\n--x--\r\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        await ProblemAssert.IsProblemAsync(await clerk.PostAsync(Letters, content), HttpStatusCode.BadRequest, "file");
    }

    [Theory]
    [InlineData("/api/auth/token")]
    [InlineData("/api/me/password")]
    [InlineData("/elsa/api/workflow-definitions")]
    public async Task BogusCharset_OnJson_Is415(string path)
    {
        var admin = await App.ClientForAsync("admin");
        foreach (var charset in new[] { "bogus", "utf-7", "\"\"" })
        {
            var content = new ByteArrayContent("{\"userName\":\"admin\"}"u8.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
            await ProblemAssert.IsProblemAsync(await admin.PostAsync(path, content), HttpStatusCode.UnsupportedMediaType);
        }
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("https://evil.example/")]
    [InlineData("/\t/evil.example")]
    public async Task Culture_WithAForeignReturnUrl_GoesHome(string returnUrl)
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/culture?c=en&returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);

        var local = await client.GetAsync("/culture?c=en&returnUrl=%2Finbox%3Fx%3D1");
        Assert.Equal("/inbox?x=1", local.Headers.Location?.OriginalString);
        Assert.DoesNotContain("secure", string.Join(";", local.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        // Over https the language cookie is Secure.
        var https = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://localhost"),
        });
        var secure = await https.GetAsync("/culture?c=en&returnUrl=%2F");
        Assert.Contains("secure", string.Join(";", secure.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("""{"counterpartyUnit":"qingshan-village","year":2024,"year":2025,"counterpartyKind":"村(社区)"}""", "metadata.year")]
    [InlineData("""{"counterpartyUnit":"qingshan-village","year":2024,"counterpartyKind":"\ud800"}""", "metadata.counterpartyKind")]
    [InlineData("""{"counterpartyUnit":"qingshan\u0000village","year":2024,"counterpartyKind":"村(社区)"}""", "metadata.counterpartyUnit")]
    public async Task HostileMetadataJson_Is400WithThePath(string metadata, string field)
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var response = await clerk.PostAsync(Letters, TestFiles.Upload(TestFiles.Pdf("m"), "a.pdf", null, "元数据", rawMetadata: metadata));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task HostileElsaJson_Is400WithThePath()
    {
        var admin = await App.ClientForAsync("admin");
        var model = AuthorizationMatrixTests.Probe("strict-json-probe").ToJsonString();

        var duplicate = "{\"model\":" + model.Replace("\"name\":\"strict-json-probe\"", "\"name\":\"a\",\"name\":\"b\"", StringComparison.Ordinal) + ",\"publish\":false}";
        var json = await ProblemAssert.IsProblemAsync(await admin.PostAsync("/elsa/api/workflow-definitions", Body(Encoding.UTF8.GetBytes(duplicate))), HttpStatusCode.BadRequest, "$.model.name");
        Assert.Contains("twice", json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var surrogate = "{\"model\":" + model.Replace("\"name\":\"strict-json-probe\"", "\"name\":\"\\udc00x\"", StringComparison.Ordinal) + ",\"publish\":false}";
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/elsa/api/workflow-definitions", Body(Encoding.UTF8.GetBytes(surrogate))), HttpStatusCode.BadRequest, "$.model.name");

        var invalid = Encoding.UTF8.GetBytes("{\"model\":" + model.Replace("\"name\":\"strict-json-probe\"", "\"name\":\"XX\"", StringComparison.Ordinal) + "}");
        var at = Encoding.UTF8.GetString(invalid).IndexOf("XX", StringComparison.Ordinal);
        invalid[at] = 0xC3;
        invalid[at + 1] = 0x28; // a two-byte sequence broken in its second byte
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/elsa/api/workflow-definitions", Body(invalid)), HttpStatusCode.BadRequest, "$.model.name");

        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/elsa/api/workflow-definitions/import", Body(Encoding.UTF8.GetBytes(
            model.Replace("\"version\":1,", "\"version\":1,\"version\":2,", StringComparison.Ordinal)))), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("999999")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task HangfireJobDetails_OfANonJob_Is404(string id)
    {
        var admin = await App.ClientForAsync("admin");
        var response = await admin.GetAsync($"/hangfire/jobs/details/{id}");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);

        // A real job's page still opens (a submitted letter's notices, handed to a delivery job by the outbox pump).
        await DraftAndTaskAsync();
        await App.Services.GetRequiredService<Infrastructure.Scheduling.OutboxPump>().PumpAsync(CancellationToken.None);
        var storage = App.Services.GetRequiredService<Hangfire.JobStorage>();
        var job = Assert.Single(storage.GetMonitoringApi().EnqueuedJobs("default", 0, 1)).Key;
        var page = await admin.GetAsync($"/hangfire/jobs/details/{job}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(job, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentSaves_OfOneElsaDefinition_Are200Or201Or409_Never500()
    {
        var admins = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => App.ClientForAsync("admin")));
        for (var round = 0; round < 3; round++)
        {
            var id = $"concurrent-save-{round}";
            var responses = await Task.WhenAll(admins.Select((client, i) => client.PostAsync("/elsa/api/workflow-definitions",
                Body(Encoding.UTF8.GetBytes(new JsonObject { ["model"] = AuthorizationMatrixTests.Probe(id), ["publish"] = i % 2 == 0 }.ToJsonString())))));
            foreach (var response in responses)
            {
                var status = (int)response.StatusCode;
                Assert.True(status is 200 or 201 or 409, $"{status}: {await response.Content.ReadAsStringAsync()}");
                if (status == 409)
                {
                    await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
                }
            }

            Assert.Contains(responses, r => r.IsSuccessStatusCode);
        }
    }

    [Fact]
    public async Task RunJavaScript_WithASyntaxError_IsRefusedAtPublish_NamingTheActivity()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse("""
            { "id": "js-syntax-v1", "definitionId": "js-syntax", "name": "js-syntax", "version": 1,
              "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "version": 1 },
                  { "id": "script1", "type": "Elsa.RunJavaScript", "version": 1,
                    "script": { "typeName": "String", "expression": { "type": "Literal", "value": "let x = ;" } } }
                ],
                "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "script1", "port": "In" } } ] } }
            """)!.AsObject();

        var published = await admin.PostAsync("/elsa/api/workflow-definitions", Body(Encoding.UTF8.GetBytes(new JsonObject { ["model"] = model.DeepClone(), ["publish"] = true }.ToJsonString())));
        var problem = await ProblemAssert.IsProblemAsync(published, HttpStatusCode.BadRequest, "script1");
        Assert.Contains("syntax", problem.GetProperty("errors").GetProperty("script1")[0].GetString(), StringComparison.OrdinalIgnoreCase);

        // A draft may hold it; fixed, it publishes.
        var draft = await admin.PostAsync("/elsa/api/workflow-definitions", Body(Encoding.UTF8.GetBytes(new JsonObject { ["model"] = model.DeepClone(), ["publish"] = false }.ToJsonString())));
        Assert.True(draft.IsSuccessStatusCode, await draft.Content.ReadAsStringAsync());
        model["root"]!["activities"]![1]!["script"]!["expression"]!["value"] = "let x = 1;";
        var fixedUp = await admin.PostAsync("/elsa/api/workflow-definitions", Body(Encoding.UTF8.GetBytes(new JsonObject { ["model"] = model, ["publish"] = true }.ToJsonString())));
        Assert.True(fixedUp.IsSuccessStatusCode, await fixedUp.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html")]
    [InlineData("image/png")]
    public async Task Problems_AreProblemJson_WhateverAcceptSays(string accept)
    {
        var clerk = await App.ClientForAsync("zhaomin");
        using var request = new HttpRequestMessage(HttpMethod.Post, Letters) { Content = TestFiles.Upload(TestFiles.Pdf("x"), "a.exe", TestFiles.LetterMetadata()) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        await ProblemAssert.IsProblemAsync(await clerk.SendAsync(request), HttpStatusCode.BadRequest, "file");

        using var missing = new HttpRequestMessage(HttpMethod.Get, $"/api/documents/{Guid.NewGuid()}");
        missing.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        await ProblemAssert.IsProblemAsync(await clerk.SendAsync(missing), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NulCharacters_AndOverlongValues_OnPostgreSql_Are400()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var app = new AppFactory(settings: database.Settings());
        var clerk = await app.ClientForAsync("zhaomin");

        // A NUL in a form field (PostgreSQL refuses NUL in text) and in JSON fields.
        var nulTitle = await clerk.PostAsync(Letters, TestFiles.Upload(TestFiles.Pdf("nul"), "a.pdf", TestFiles.LetterMetadata(), "责任书\0标题"));
        await ProblemAssert.IsProblemAsync(nulTitle, HttpStatusCode.BadRequest);
        var pending = await new ApprovalDriver(app).UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（NUL）");
        var task = Assert.Single(await new ApprovalDriver(app).OpenTasksAsync("wangqiang", pending));
        var head = await app.ClientForAsync("wangqiang");
        var opinion = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意\0" });
        await ProblemAssert.IsProblemAsync(opinion, HttpStatusCode.BadRequest);

        // A definition id longer than its column.
        var admin = await app.ClientForAsync("admin");
        var id = new string('d', 400);
        var save = await admin.PostAsync("/elsa/api/workflow-definitions",
            Body(Encoding.UTF8.GetBytes(new JsonObject { ["model"] = AuthorizationMatrixTests.Probe(id), ["publish"] = false }.ToJsonString())));
        await ProblemAssert.IsProblemAsync(save, HttpStatusCode.BadRequest);

        // Concurrent saves of one definition: PostgreSQL's unique violation is a 409 too.
        var admins = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.ClientForAsync("admin")));
        var saves = await Task.WhenAll(admins.Select((client, i) => client.PostAsync("/elsa/api/workflow-definitions",
            Body(Encoding.UTF8.GetBytes(new JsonObject { ["model"] = AuthorizationMatrixTests.Probe("pg-concurrent"), ["publish"] = i % 2 == 0 }.ToJsonString())))));
        foreach (var response in saves)
        {
            Assert.True((int)response.StatusCode is 200 or 201 or 409, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // Nothing half-written: the chain still verifies.
        var verify = await (await app.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}

/// <summary>
/// PostgreSQL ends one of two transactions that lock the same rows in opposite orders (deadlock detected) or that
/// conflict under serializable isolation; nothing of the loser is stored, and the caller gets a 409, not a 500.
/// </summary>
public sealed class WriteConflictTests
{
    [Theory]
    [InlineData(Npgsql.PostgresErrorCodes.DeadlockDetected)]
    [InlineData(Npgsql.PostgresErrorCodes.SerializationFailure)]
    public async Task ADeadlockOrSerializationFailure_IsA409(string sqlState)
    {
        await using var app = new AppFactory(services: s =>
        {
            var descriptor = s.Last(d => d.ServiceType == typeof(SafetyWorkflows.Workflows.Persistence.IWorkflowDefinitionStore));
            s.Remove(descriptor);
            s.Add(new ServiceDescriptor(typeof(SafetyWorkflows.Workflows.Persistence.IWorkflowDefinitionStore),
                sp => new LosingDefinitions((SafetyWorkflows.Workflows.Persistence.IWorkflowDefinitionStore)descriptor.ImplementationFactory!(sp), sqlState),
                descriptor.Lifetime));
        });
        var admin = await app.ClientForAsync("admin");

        var content = new StringContent(new JsonObject { ["model"] = AuthorizationMatrixTests.Probe(LosingDefinitions.Probe), ["publish"] = true }.ToJsonString(),
            Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        var other = await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/rectification-order?versionOptions=Latest");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    /// <summary>The store as it is, except that reading <see cref="Probe"/> loses to another transaction.</summary>
    private sealed class LosingDefinitions(SafetyWorkflows.Workflows.Persistence.IWorkflowDefinitionStore inner, string sqlState)
        : SafetyWorkflows.Workflows.Persistence.IWorkflowDefinitionStore
    {
        public const string Probe = "write-conflict-probe";

        public Task<SafetyWorkflows.Workflows.Definitions.WorkflowDefinition?> FindAsync(string definitionId, SafetyWorkflows.Workflows.Persistence.VersionOptions options, CancellationToken cancellationToken) =>
            definitionId == Probe
                ? throw new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving the entity changes.",
                    new Npgsql.PostgresException("the other transaction won", "ERROR", "ERROR", sqlState))
                : inner.FindAsync(definitionId, options, cancellationToken);

        public Task<string?> FindIdAsync(string definitionId, SafetyWorkflows.Workflows.Persistence.VersionOptions options, CancellationToken cancellationToken) =>
            inner.FindIdAsync(definitionId, options, cancellationToken);

        public Task<SafetyWorkflows.Workflows.Definitions.WorkflowDefinition?> FindByIdAsync(string id, CancellationToken cancellationToken) => inner.FindByIdAsync(id, cancellationToken);

        public Task<IReadOnlyList<SafetyWorkflows.Workflows.Definitions.WorkflowDefinition>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken) =>
            inner.ListVersionsAsync(definitionId, cancellationToken);

        public Task<IReadOnlyList<SafetyWorkflows.Workflows.Persistence.WorkflowDefinitionSummary>> ListSummariesAsync(SafetyWorkflows.Workflows.Persistence.VersionOptions options, CancellationToken cancellationToken) =>
            inner.ListSummariesAsync(options, cancellationToken);

        public Task SaveAsync(SafetyWorkflows.Workflows.Definitions.WorkflowDefinition definition, CancellationToken cancellationToken) => inner.SaveAsync(definition, cancellationToken);

        public Task DeleteVersionAsync(string id, CancellationToken cancellationToken) => inner.DeleteVersionAsync(id, cancellationToken);
    }
}
