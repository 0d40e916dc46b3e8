using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafetyWorkflows.IntegrationTests.Support;
using Xunit.Abstractions;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>
/// kill -9 under load (issue 15, "Done when"): the real app runs as a process of its own while officials decide tasks
/// and the clerk submits letters from several clients at once; the process is killed mid-load (SIGKILL) and started
/// again on the same files, three times. Every decision that was answered 2xx is still there with its audit entry, a
/// decision whose answer was lost is either there or applies when sent again with the same commandId, nothing is
/// doubled (tasks, notifications, deliveries), the audit chain verifies, and every chain goes on to its end.
/// </summary>
public sealed class CrashRestartTests(ITestOutputHelper output)
{
    private const string Letters = "responsibility-letters";

    /// <summary>Who decides the letters' steps: 安办负责人, 分管领导, 党委书记 and 镇长 (会签), and each village's head (签字).</summary>
    private static readonly string[] Deciders = ["wangqiang", "liuhua", "zhoujun", "sunli", "yangshan", "mali", "tangwei", "liangjun", "panxiu"];

    private static readonly string[] Villages = ["qingshan-village", "liutang-village", "dongyue-community", "shuangqiao-village", "hongxing-village"];

    private readonly ConcurrentBag<Decision> _acknowledged = [];
    private readonly ConcurrentBag<Decision> _unanswered = [];
    private readonly ConcurrentBag<Decision> _refused = [];
    private readonly ConcurrentBag<Guid> _submitted = [];

    [Fact]
    public async Task KilledMidLoad_ThreeTimes_KeepsEveryAcknowledgedDecision_DoublesNothing_AndTheChainsGoOn()
    {
        var data = Path.Combine(Path.GetTempPath(), "sw-tests", "crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var first = System.Diagnostics.Stopwatch.StartNew();
        var web = await WebProcess.StartAsync(data, TimeSpan.FromSeconds(90));
        output.WriteLine($"first start (migrate, seed, import) in {first.Elapsed.TotalSeconds:0.0} s");
        try
        {
            var clerk = await web.ClientForAsync("zhaomin");
            for (var i = 0; i < 8; i++)
            {
                _submitted.Add(await SubmitLetterAsync(clerk, Villages[i % Villages.Length], $"责任书（断电测试 {i}）"));
            }

            for (var round = 1; round <= 3; round++)
            {
                await LoadThenKillAsync(web, round);

                // The killed process leaves the Hangfire lock file behind; its lock died with it, so the restart takes it at once.
                Assert.True(File.Exists(Path.Combine(data, "hangfire.db.lock")));
                var restart = System.Diagnostics.Stopwatch.StartNew();
                web = await WebProcess.StartAsync(data, TimeSpan.FromSeconds(60));
                output.WriteLine($"round {round}: {_acknowledged.Count} acknowledged so far, {_unanswered.Count} unanswered at the kill, " +
                    $"{_refused.Count} refused (409) so far; restarted in {restart.Elapsed.TotalSeconds:0.0} s");
                await ResendUnansweredAsync(web);
                await AssertNothingLostOrDoubledAsync(web, round);
            }

            await DecideEverythingAsync(web);
            var admin = await web.ClientForAsync("admin");
            foreach (var id in _submitted)
            {
                var document = await admin.GetFromJsonAsync<JsonElement>($"/api/documents/{id}");
                Assert.Equal("Signed", document.GetProperty("genericStatus").GetString());
            }

            await AssertNothingLostOrDoubledAsync(web, round: 4);
            Assert.True(_acknowledged.Count >= 3 * 3, $"the load acknowledged only {_acknowledged.Count} decisions before the kills");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\n--- the app's last output ---\n{web.Output}", ex);
        }
        finally
        {
            await web.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Every decider works through their open tasks while the clerk submits a letter or two; once this round has seen a
    /// few 2xx answers the process is killed, with requests still in flight.
    /// </summary>
    private async Task LoadThenKillAsync(WebProcess web, int round)
    {
        var clients = new Dictionary<string, HttpClient>();
        foreach (var userName in Deciders.Append("zhaomin"))
        {
            clients[userName] = await web.ClientForAsync(userName);
        }

        var before = _acknowledged.Count;
        using var stop = new CancellationTokenSource();
        var workers = Deciders.Select(userName => Task.Run(() => DecideWhileRunningAsync(clients[userName], userName, stop.Token))).ToList();
        workers.Add(Task.Run(() => SubmitWhileRunningAsync(clients["zhaomin"], round, stop.Token)));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (_acknowledged.Count < before + 3 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        await Task.Delay(Random.Shared.Next(50, 250));
        await web.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        Assert.True(_acknowledged.Count >= before + 3, $"round {round}: only {_acknowledged.Count - before} decisions were acknowledged in 30 s");
    }

    private async Task DecideWhileRunningAsync(HttpClient client, string userName, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<(Guid Task, Guid Document, string Action)> open;
            try
            {
                open = await OpenTasksAsync(client);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                return;
            }

            foreach (var (task, document, action) in open)
            {
                var decision = new Decision(userName, task, document, action, Guid.NewGuid().ToString());
                switch (await SendAsync(client, decision))
                {
                    case Answer.Lost:
                        _unanswered.Add(decision);
                        return;
                    case Answer.Refused:
                        _refused.Add(decision);
                        break;
                }
            }

            await Task.Delay(open.Count == 0 ? 50 : 0, CancellationToken.None);
        }
    }

    /// <summary>Up to two letters a round, submitted while the decisions run; a submission answered 2xx must survive.</summary>
    private async Task SubmitWhileRunningAsync(HttpClient clerk, int round, CancellationToken stop)
    {
        for (var i = 0; i < 2 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                _submitted.Add(await SubmitLetterAsync(clerk, Villages[(round + i) % Villages.Length], $"责任书（断电第 {round} 轮 {i}）"));
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A decision whose answer was lost is sent again with its commandId: it was applied (the first answer comes back) or it applies now.</summary>
    private async Task ResendUnansweredAsync(WebProcess web)
    {
        var lost = _unanswered.ToList();
        _unanswered.Clear();
        foreach (var group in lost.GroupBy(d => d.UserName))
        {
            using var client = await web.ClientForAsync(group.Key);
            foreach (var decision in group)
            {
                var answer = await SendAsync(client, decision);
                for (var attempt = 0; answer == Answer.Refused && attempt < 20; attempt++)
                {
                    await Task.Delay(100);
                    answer = await SendAsync(client, decision);
                }

                Assert.Equal(Answer.Acknowledged, answer);
            }
        }
    }

    private async Task<Answer> SendAsync(HttpClient client, Decision decision)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync($"/api/tasks/{decision.Task}/decisions", new { commandId = decision.CommandId, action = decision.Action, opinion = "同意" });
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return Answer.Lost;
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                _acknowledged.Add(decision);
                return Answer.Acknowledged;
            }

            // Two decisions racing on one instance (会签): one wins, the other is told 409 and leaves nothing behind.
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{decision}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return Answer.Refused;
        }
    }

    /// <summary>After a restart: nothing acknowledged is missing, nothing is there twice, the audit chain holds.</summary>
    private async Task AssertNothingLostOrDoubledAsync(WebProcess web, int round)
    {
        using var admin = await web.ClientForAsync("admin");
        var acknowledged = _acknowledged.ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Select(d => d.CommandId).Distinct().Count());
        foreach (var decision in acknowledged)
        {
            var task = (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks/{decision.Task}")).GetProperty("task");
            Assert.True(task.GetProperty("status").GetString() == "Completed" && task.GetProperty("action").GetString() == decision.Action,
                $"round {round}: acknowledged {decision} is {task}");
        }

        foreach (var id in _submitted)
        {
            // Each decided step is in the audit exactly once: the decision and its audit entry commit together.
            var trail = await admin.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
            var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}&take=1000");
            var decided = trail.EnumerateArray().Where(s => s.GetProperty("status").GetString() == "Completed")
                .GroupBy(s => "task." + s.GetProperty("action").GetString()).ToDictionary(g => g.Key, g => g.Count());
            var audited = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).Where(a => a.StartsWith("task.", StringComparison.Ordinal))
                .GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(decided.OrderBy(p => p.Key), audited.OrderBy(p => p.Key));
            Assert.NotEmpty(trail.EnumerateArray());
        }

        Assert.Equal(0, await web.ScalarAsync("SELECT COUNT(*) FROM (SELECT DocumentId, Step, Assignee FROM ApprovalTasks GROUP BY DocumentId, Step, Assignee HAVING COUNT(*) > 1)"));
        Assert.Equal(0, await web.ScalarAsync("SELECT COUNT(*) FROM (SELECT TaskId, Kind, Recipient FROM Notifications WHERE TaskId IS NOT NULL GROUP BY TaskId, Kind, Recipient HAVING COUNT(*) > 1)"));
        Assert.Equal(0, await web.ScalarAsync("SELECT COUNT(*) FROM (SELECT NotificationId, Channel FROM NotificationDeliveries GROUP BY NotificationId, Channel HAVING COUNT(*) > 1)"));
        Assert.Equal(await web.ScalarAsync("SELECT COUNT(*) FROM Notifications"), await web.ScalarAsync("SELECT COUNT(DISTINCT NotificationId) FROM NotificationDeliveries"));
        foreach (var refused in _refused.Select(d => d.CommandId).Except(acknowledged.Select(d => d.CommandId)))
        {
            Assert.Equal(0, await web.ScalarAsync($"SELECT COUNT(*) FROM DecisionCommands WHERE CommandId = '{refused}'"));
        }

        using var auditor = await web.ClientForAsync("auditadmin");
        var verify = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), $"round {round}: {verify}");
    }

    /// <summary>The chains go on: each official decides what is theirs until no letter has an open task.</summary>
    private async Task DecideEverythingAsync(WebProcess web)
    {
        var clients = new Dictionary<string, HttpClient>();
        foreach (var userName in Deciders)
        {
            clients[userName] = await web.ClientForAsync(userName);
        }

        for (var pass = 0; pass < 10; pass++)
        {
            var any = false;
            foreach (var (userName, client) in clients)
            {
                foreach (var (task, document, action) in await OpenTasksAsync(client))
                {
                    any = true;
                    Assert.Equal(Answer.Acknowledged, await SendAsync(client, new Decision(userName, task, document, action, Guid.NewGuid().ToString())));
                }
            }

            if (!any)
            {
                break;
            }
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        // The outbox still delivers after the kills (Hangfire's server runs in the restarted process).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await web.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Sent'") == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        Assert.NotEqual(0, await web.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Sent'"));
    }

    private static async Task<IReadOnlyList<(Guid Task, Guid Document, string Action)>> OpenTasksAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/tasks?state=open&library={Letters}&pageSize=200");
        return list.GetProperty("items").EnumerateArray().Select(t => (
            t.GetProperty("id").GetGuid(),
            t.GetProperty("documentId").GetGuid(),
            t.GetProperty("allowedActions").EnumerateArray().Any(a => a.GetString() == "sign") ? "sign" : "approve")).ToList();
    }

    private static async Task<Guid> SubmitLetterAsync(HttpClient clerk, string village, string title)
    {
        var upload = await clerk.PostAsync($"/api/libraries/{Letters}/documents", TestFiles.Upload(TestFiles.Pdf(title), "letter.pdf", TestFiles.LetterMetadata(village), title));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var submitted = await clerk.PostAsync($"/api/documents/{id}/submit", null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        return id;
    }

    private enum Answer
    {
        Acknowledged,
        Refused,
        Lost,
    }

    private sealed record Decision(string UserName, Guid Task, Guid Document, string Action, string CommandId);
}
