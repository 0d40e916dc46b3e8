using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>
/// Issue 15, finding 8: uploads take an <c>Idempotency-Key</c> with a commandId's semantics. A retried upload (the client
/// never saw the answer) stores nothing twice and answers as the first time; the key on another target or by another
/// caller is a 409 naming it; copies sent at once make one upload.
/// </summary>
public sealed class IdempotencyKeyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Letters = "/api/libraries/responsibility-letters/documents";

    private AppFactory App => fixture.App;

    private static HttpRequestMessage WithKey(HttpMethod method, string url, HttpContent content, string key)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static MultipartFormDataContent Evidence(byte[] bytes) =>
        new() { { new ByteArrayContent(bytes), "file", "整改方案.pdf" }, { new StringContent("plan"), "label" } };

    private async Task<Guid> OpenTaskAsync(string title)
    {
        var driver = new ApprovalDriver(App);
        var document = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), title);
        return Assert.Single(await driver.OpenTasksAsync("wangqiang", document));
    }

    private async Task<int> AttachmentCountAsync(HttpClient client, Guid task) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{task}/files")).GetArrayLength();

    [Fact]
    public async Task EvidenceSentTwice_WithOneKey_IsAttachedOnce_AndAnsweredAlike()
    {
        var task = await OpenTaskAsync("青山村责任书（幂等一）");
        var head = await App.ClientForAsync("wangqiang");
        var key = Guid.NewGuid().ToString();
        var bytes = TestFiles.Pdf("plan");

        var first = await head.SendAsync(WithKey(HttpMethod.Post, $"/api/tasks/{task}/files", Evidence(bytes), key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await head.SendAsync(WithKey(HttpMethod.Post, $"/api/tasks/{task}/files", Evidence(bytes), key));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstBody.GetProperty("id").GetGuid(), againBody.GetProperty("id").GetGuid());
        Assert.Equal(1, await AttachmentCountAsync(head, task));

        // Without a key, the same file sent again is a second attachment (the key is what makes a retry safe).
        Assert.Equal(HttpStatusCode.Created, (await head.PostAsync($"/api/tasks/{task}/files", Evidence(bytes))).StatusCode);
        Assert.Equal(2, await AttachmentCountAsync(head, task));
    }

    [Fact]
    public async Task TheKey_OnAnotherTarget_OrByAnotherCaller_Is409NamingIt()
    {
        var task = await OpenTaskAsync("青山村责任书（幂等二）");
        var other = await OpenTaskAsync("青山村责任书（幂等二乙）");
        var head = await App.ClientForAsync("wangqiang");
        var key = "retry-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.Created, (await head.SendAsync(WithKey(HttpMethod.Post, $"/api/tasks/{task}/files", Evidence(TestFiles.Pdf("a")), key))).StatusCode);

        var elsewhere = await head.SendAsync(WithKey(HttpMethod.Post, $"/api/tasks/{other}/files", Evidence(TestFiles.Pdf("b")), key));
        await ProblemAssert.IsProblemAsync(elsewhere, HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Equal(0, await AttachmentCountAsync(head, other));

        // Another caller with the same key: refused before anything is read about the task (the admin may not attach here).
        var clerk = await App.ClientForAsync("zhaomin");
        var upload = await clerk.SendAsync(WithKey(HttpMethod.Post, Letters, TestFiles.Upload(TestFiles.Pdf("c"), "c.pdf", TestFiles.LetterMetadata(), "幂等冲突"), key));
        await ProblemAssert.IsProblemAsync(upload, HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Equal(1, await AttachmentCountAsync(head, task));
    }

    [Fact]
    public async Task CopiesSentAtOnce_MakeOneAttachment_AndAllAnswerTheSame()
    {
        var task = await OpenTaskAsync("青山村责任书（幂等三）");
        var clients = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => App.ClientForAsync("wangqiang")));
        var key = Guid.NewGuid().ToString();
        var bytes = TestFiles.Pdf("concurrent");

        var answers = await Task.WhenAll(clients.Select(c => c.SendAsync(WithKey(HttpMethod.Post, $"/api/tasks/{task}/files", Evidence(bytes), key))));
        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.Created, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        var ids = new HashSet<Guid>();
        foreach (var answer in answers)
        {
            ids.Add((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        Assert.Single(ids);
        Assert.Equal(1, await AttachmentCountAsync(clients[0], task));
    }

    [Fact]
    public async Task UploadAndCheckIn_SentTwice_WithOneKey_MakeOneDocumentAndOneVersion()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var title = "青山村责任书（幂等上传）" + Guid.NewGuid().ToString("N")[..6];
        var key = Guid.NewGuid().ToString();
        var bytes = TestFiles.Pdf("upload");
        var first = await clerk.SendAsync(WithKey(HttpMethod.Post, Letters, TestFiles.Upload(bytes, "a.pdf", TestFiles.LetterMetadata(), title), key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await clerk.SendAsync(WithKey(HttpMethod.Post, Letters, TestFiles.Upload(bytes, "a.pdf", TestFiles.LetterMetadata(), title), key));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        var list = await clerk.GetFromJsonAsync<JsonElement>($"{Letters}?q={Uri.EscapeDataString(title)}");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsync($"/api/documents/{id}/checkout", null)).StatusCode);
        var checkInKey = Guid.NewGuid().ToString();
        var version = TestFiles.Pdf("v2");
        var checkedIn = await clerk.SendAsync(WithKey(HttpMethod.Post, $"/api/documents/{id}/checkin", TestFiles.CheckIn(version, "a.pdf", "二稿"), checkInKey));
        Assert.Equal(HttpStatusCode.OK, checkedIn.StatusCode);
        var retried = await clerk.SendAsync(WithKey(HttpMethod.Post, $"/api/documents/{id}/checkin", TestFiles.CheckIn(version, "a.pdf", "二稿"), checkInKey));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("0.2", (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());
        var versions = await clerk.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/versions");
        Assert.Equal(2, versions.GetArrayLength());

        // The first key on the check-in of the same document is another target.
        var crossed = await clerk.SendAsync(WithKey(HttpMethod.Post, $"/api/documents/{id}/checkin", TestFiles.CheckIn(version, "a.pdf", null), key));
        await ProblemAssert.IsProblemAsync(crossed, HttpStatusCode.Conflict, "Idempotency-Key");
    }

    [Fact]
    public async Task AKeyWhoseUploadWasStored_ButWhoseAnswerWasLostInACrash_Is409_AndStoresNothingMore()
    {
        var task = await OpenTaskAsync("青山村责任书（幂等崩溃）");
        var key = Guid.NewGuid().ToString();

        // What a process leaves when it dies between the upload's commit (which holds the claim) and recording the answer.
        using (var scope = App.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IIdempotencyKeys>().Claim(key, $"POST /api/tasks/{task}/files", "wangqiang", DateTimeOffset.UtcNow.AddMinutes(-5));
            await scope.ServiceProvider.GetRequiredService<SafetyDbContext>().SaveChangesAsync();
        }

        var head = await App.ClientForAsync("wangqiang");
        var retried = await head.SendAsync(WithKey(HttpMethod.Post, $"/api/tasks/{task}/files", Evidence(TestFiles.Pdf("after crash")), key));
        var problem = await ProblemAssert.IsProblemAsync(retried, HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Contains("stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await AttachmentCountAsync(head, task));
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("has space")]
    [InlineData("键")]
    public async Task AMalformedKey_Is400NamingIt(string key)
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var request = new HttpRequestMessage(HttpMethod.Post, Letters) { Content = TestFiles.Upload(TestFiles.Pdf("k"), "a.pdf", TestFiles.LetterMetadata(), "坏键") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key == "键" ? new string('k', 101) : key);
        await ProblemAssert.IsProblemAsync(await clerk.SendAsync(request), HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task AFailedUpload_DoesNotSpendTheKey()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var key = Guid.NewGuid().ToString();
        var refused = await clerk.SendAsync(WithKey(HttpMethod.Post, Letters, TestFiles.Upload(TestFiles.Pdf("x"), "a.exe", TestFiles.LetterMetadata(), "坏文件"), key));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "file");
        var corrected = await clerk.SendAsync(WithKey(HttpMethod.Post, Letters, TestFiles.Upload(TestFiles.Pdf("x"), "a.pdf", TestFiles.LetterMetadata(), "好文件"), key));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }
}
