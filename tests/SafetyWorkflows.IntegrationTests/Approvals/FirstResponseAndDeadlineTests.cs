using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>
/// A 或签 step for the three experts (Definitions/responsibility-letter.json replaces the shipped chain here); its
/// <c>timeout</c> is P0D, so it ends through TimedOut at its deadline (without a timeout a step never ends by time).
/// </summary>
public sealed class FirstResponseAndDeadlineTests
{
    private static readonly string Definitions = Path.Combine(AppContext.BaseDirectory, "Approvals", "Definitions");

    [Fact]
    public async Task TwoExpertsDecidingAtOnce_OneGets200_TheOther409_AndTheDocumentMovesOnce()
    {
        await using var app = new AppFactory(workflowsDirectory: Definitions);
        var id = await SubmitAsync(app);
        var linfang = await app.ClientForAsync("linfang");
        var xuming = await app.ClientForAsync("xuming");
        var taskA = await OpenTaskAsync(linfang, id);
        var taskB = await OpenTaskAsync(xuming, id);

        var answers = await Task.WhenAll(
            linfang.PostAsJsonAsync($"/api/tasks/{taskA}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意" }),
            xuming.PostAsJsonAsync($"/api/tasks/{taskB}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "reject", opinion = "不同意" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order().ToArray());
        var winner = answers[0].StatusCode == HttpStatusCode.OK ? "Approved" : "Rejected";
        var document = await (await app.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}");
        Assert.Equal(winner, document.GetProperty("genericStatus").GetString());
        var trail = await (await app.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        Assert.Single(trail.EnumerateArray(), s => s.GetProperty("status").GetString() == "Completed");
        Assert.Equal(2, trail.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Cancelled"));
        var audit = await (await app.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}");
        Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "document.status" && e.GetProperty("actor").GetString() == "workflow");
    }

    [Fact]
    public async Task ACustomOutcome_IsOfferedAndTaken_AnUndeclaredOneIsRefused()
    {
        await using var app = new AppFactory(workflowsDirectory: Definitions);
        var id = await SubmitAsync(app);
        var linfang = await app.ClientForAsync("linfang");
        var task = await OpenTaskAsync(linfang, id);
        var detail = await linfang.GetFromJsonAsync<JsonElement>($"/api/tasks/{task}");

        var undeclared = await linfang.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", outcome = "随便" });
        var custom = await linfang.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", outcome = "附条件同意", opinion = "补充演练记录后生效" });

        Assert.Equal(["附条件同意"], detail.GetProperty("task").GetProperty("customOutcomes").EnumerateArray().Select(o => o.GetString()!).ToArray());
        await ProblemAssert.IsProblemAsync(undeclared, HttpStatusCode.BadRequest, "outcome");
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.Equal("Approved", await StatusAsync(app, id));
        var trail = await (await app.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        Assert.Contains(trail.EnumerateArray(), s => s.GetProperty("outcome").GetString() == "附条件同意");
    }

    [Fact]
    public async Task AStepWithATimeoutPastItsDeadline_EndsThroughTimedOut_AndCancelsItsTasks()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        // A long poll interval: advancing a fake clock by days would otherwise tick the background poller thousands of times.
        await using var app = new AppFactory(workflowsDirectory: Definitions, services: s => s.AddSingleton<TimeProvider>(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "1.00:00:00" });
        var id = await SubmitAsync(app);
        var poller = app.Services.GetRequiredService<DueTimerPoller>();

        clock.Advance(TimeSpan.FromDays(2));
        await poller.ResumeDueAsync(CancellationToken.None);
        var stillPending = await StatusAsync(app, id);
        clock.Advance(TimeSpan.FromDays(1));
        await poller.ResumeDueAsync(CancellationToken.None);

        Assert.Equal("Pending", stillPending);
        Assert.Equal("Draft", await StatusAsync(app, id));
        var trail = await (await app.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        Assert.All(trail.EnumerateArray(), s => Assert.Equal("Cancelled", s.GetProperty("status").GetString()));
        var open = await (await app.ClientForAsync("linfang")).GetFromJsonAsync<JsonElement>("/api/tasks?state=open");
        Assert.Equal(0, open.GetProperty("totalCount").GetInt32());
    }

    private static async Task<Guid> SubmitAsync(AppFactory app)
    {
        var clerk = await app.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(TestFiles.Pdf("race"), "race.pdf", TestFiles.LetterMetadata()));
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var submitted = await clerk.PostAsync($"/api/documents/{id}/submit", null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        return id;
    }

    private static async Task<Guid> OpenTaskAsync(HttpClient client, Guid documentId)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/tasks?state=open");
        return list.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("documentId").GetGuid() == documentId).GetProperty("id").GetGuid();
    }

    private static async Task<string?> StatusAsync(AppFactory app, Guid id) =>
        (await (await app.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}")).GetProperty("genericStatus").GetString();
}
