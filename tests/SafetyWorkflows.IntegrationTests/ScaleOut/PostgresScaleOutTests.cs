using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.IntegrationTests.ScaleOut;

/// <summary>
/// Scale-out on a real PostgreSQL server (the lane of <c>.ci/postgres</c>): two app hosts — standing in for two
/// processes, each with its own services, connection pool and Hangfire server — share one fresh database and one
/// data directory (file store and data-protection keys), as nodes behind a load balancer would.
/// </summary>
public sealed class PostgresScaleOutTests
{
    private static readonly string ApprovalDefinitions = Path.Combine(AppContext.BaseDirectory, "Approvals", "Definitions");

    // Both hosts poll Hangfire twice a second, so either server may take a job; the sweep is an hour away, so what fires
    // is Hangfire's doing.
    private static readonly Dictionary<string, string> FastServers = new()
    {
        ["Hangfire:ServerEnabled"] = "true",
        ["Hangfire:SchedulePollingInterval"] = "00:00:00.5",
        ["Hangfire:QueuePollInterval"] = "00:00:00.5",
        ["Workflows:TimerPollInterval"] = "01:00:00",
    };

    [Fact]
    public async Task TwoHostsStartingAtOnce_OnAFreshDatabase_MigrateSeedAndImportOnce()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var data = NewDataDirectory();
        await using var a = new AppFactory(dataDirectory: data, settings: database.Settings());
        await using var b = new AppFactory(dataDirectory: data, settings: database.Settings());

        await Task.WhenAll(Task.Run(() => a.Services), Task.Run(() => b.Services));

        Assert.Equal(1, await database.ScalarAsync("""SELECT count(*) FROM "AuditEntries" WHERE "Action" = 'system.seed'"""));
        Assert.Equal(1, await database.ScalarAsync("""SELECT count(*) FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_Initial'"""));
        Assert.Equal(0, await database.ScalarAsync("""SELECT count(*) FROM "WorkflowDefinitions" WHERE "Version" > 1"""));
        Assert.True(await database.ScalarAsync("""SELECT count(*) FROM "WorkflowDefinitions" """) >= 3);
        Assert.Equal(HttpStatusCode.OK, (await (await b.ClientForAsync("admin")).GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ADelayStartedOnOneHost_ResumesExactlyOnce_AndItsReminderFiresOnce_WithJobServersOnBothHosts()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var data = NewDataDirectory();
        await using var a = new AppFactory(dataDirectory: data, settings: database.Settings(FastServers));
        await using var b = new AppFactory(dataDirectory: data, settings: database.Settings(FastServers));
        _ = b.Services;

        var instanceId = await TimerScenario.StartAsync(a, delay: "00:00:03", due: "PT8S", reminder: "PT4S");
        var reminders = await TimerScenario.WaitForAsync(a, db => TimerScenario.RemindersAsync(db, instanceId), r => r.Count > 0, TimeSpan.FromSeconds(60));
        // Past the deadline and a few polls more: a second job, the other host's server or either sweep would show now.
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Single(reminders);
        await using var scope = b.Services.CreateAsyncScope();
        var journal = await scope.ServiceProvider.GetRequiredService<IWorkflowJournalStore>().ListAsync(instanceId, CancellationToken.None);
        var resumed = Assert.Single(journal, j => j.ActivityId == "wait" && j.EventName == "Resumed");
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var task = Assert.Single(await db.Set<ApprovalTask>().AsNoTracking().Where(t => t.WorkflowInstanceId == instanceId).ToListAsync());
        Assert.True(task.CreatedAt >= resumed.Timestamp, "the task opens after the delay");
        var reminder = Assert.Single(await TimerScenario.RemindersAsync(db, instanceId));
        Assert.Equal("linfang", reminder.Recipient);
        var monitoring = b.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(2, monitoring.Servers().Count);
        Assert.Equal(2, await HangfireProbe.SucceededTimerJobsAsync(b.Services.GetRequiredService<JobStorage>(), 2));
        Assert.False(File.Exists(Path.Combine(data, "hangfire.db")), "PostgreSQL holds the jobs; no SQLite job file");
        Assert.False(File.Exists(Path.Combine(data, "safety.db")), "PostgreSQL holds the data; no SQLite file");
    }

    [Fact]
    public async Task TwoExpertsDecidingTheSameFirstResponseStepOnDifferentHosts_OneGets200_TheOther409_AndTheChainVerifies()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var data = NewDataDirectory();
        await using var a = new AppFactory(dataDirectory: data, workflowsDirectory: ApprovalDefinitions, settings: database.Settings());
        await using var b = new AppFactory(dataDirectory: data, workflowsDirectory: ApprovalDefinitions, settings: database.Settings());
        var id = await new ApprovalDriver(a).UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "或签竞争");
        var linfang = await a.ClientForAsync("linfang");
        var xuming = await b.ClientForAsync("xuming");
        var taskA = Assert.Single(await new ApprovalDriver(a).OpenTasksAsync("linfang", id));
        var taskB = Assert.Single(await new ApprovalDriver(b).OpenTasksAsync("xuming", id));

        var answers = await Task.WhenAll(
            linfang.PostAsJsonAsync($"/api/tasks/{taskA}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意" }),
            xuming.PostAsJsonAsync($"/api/tasks/{taskB}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "reject", opinion = "不同意" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(r => r.StatusCode).Order().ToArray());
        await ProblemAssert.IsProblemAsync(answers.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict);
        var winner = answers[0].StatusCode == HttpStatusCode.OK ? "Approved" : "Rejected";
        Assert.Equal(winner, await new ApprovalDriver(b).StatusAsync(id));
        var trail = await new ApprovalDriver(a).TrailAsync(id);
        Assert.Single(trail.EnumerateArray(), s => s.GetProperty("status").GetString() == "Completed");
        Assert.Equal(2, trail.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Cancelled"));
        var audit = await (await b.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}");
        Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "document.status" && e.GetProperty("actor").GetString() == "workflow");
        await AssertChainVerifiesAsync(a);
    }

    [Fact]
    public async Task TheResponsibilityLetterChain_RunsToSigned_WithEachDecisionOnAlternatingHosts()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var data = NewDataDirectory();
        await using var a = new AppFactory(dataDirectory: data, settings: database.Settings());
        await using var b = new AppFactory(dataDirectory: data, settings: database.Settings());
        var onA = new ApprovalDriver(a);
        var onB = new ApprovalDriver(b);

        var id = await onA.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), "2024 年度青山村安全生产责任书");
        await onB.DecideAsync("wangqiang", id, "approve", "同意，按模板签订");
        await onA.DecideAsync("liuhua", id, "approve", "同意");
        await onB.DecideAsync("zhoujun", id, "approve", "同意");
        Assert.Equal("Pending", await onA.StatusAsync(id));
        await onA.DecideAsync("sunli", id, "approve", "同意");
        Assert.Equal("Approved", await onB.StatusAsync(id));
        Assert.Equal("1.0", (await onA.DocumentAsync(id)).GetProperty("version").GetString());
        await onB.DecideAsync("yangshan", id, "sign", null);

        Assert.Equal("Signed", await onA.StatusAsync(id));
        var trail = await onB.TrailAsync(id);
        Assert.Equal(
            ["安办负责人审核:Approved", "分管安全副镇长审批:Approved", "党委书记、镇长会签:Approved", "党委书记、镇长会签:Approved", "签订单位负责人签字:Signed"],
            trail.EnumerateArray().Select(s => $"{s.GetProperty("step").GetString()}:{s.GetProperty("outcome").GetString()}").ToArray());
        Assert.Equal("同意，按模板签订", trail[0].GetProperty("opinion").GetString());
        var content = await (await b.ClientForAsync("admin")).GetAsync($"/api/documents/{id}/versions/1.0/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        await AssertChainVerifiesAsync(b);
    }

    [Fact]
    public async Task ManyWritersOnTwoHosts_AppendToOneAuditChain_AndSearchIgnoresCase()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var data = NewDataDirectory();
        await using var a = new AppFactory(dataDirectory: data, settings: database.Settings());
        await using var b = new AppFactory(dataDirectory: data, settings: database.Settings());
        var clerks = new[] { await a.ClientForAsync("zhaomin"), await b.ClientForAsync("chenjing") };
        var before = await database.ScalarAsync("""SELECT count(*) FROM "AuditEntries" """);

        var uploads = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => clerks[i % 2].PostAsync(
            "/api/libraries/responsibility-letters/documents",
            TestFiles.Upload(TestFiles.Pdf($"scale-out {i}"), "letter.pdf", TestFiles.LetterMetadata(), $"Scale-Out 责任书 {i}"))));

        Assert.All(uploads, u => Assert.Equal(HttpStatusCode.Created, u.StatusCode));
        var after = await database.ScalarAsync("""SELECT count(*) FROM "AuditEntries" """);
        Assert.True(after >= before + 16, $"{after - before} entries for 16 uploads");
        Assert.Equal(after, await database.ScalarAsync("""SELECT max("Id") FROM "AuditEntries" """));
        await AssertChainVerifiesAsync(a);
        var found = await clerks[1].GetFromJsonAsync<JsonElement>("/api/libraries/responsibility-letters/documents?q=scale-out&pageSize=50");
        Assert.Equal(16, found.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task PostgreSqlWithoutAConnectionString_StopsStart_NamingTheKey()
    {
        await using var app = new AppFactory(settings: new Dictionary<string, string> { ["Database:Provider"] = "PostgreSql" });

        var refused = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Database:ConnectionString", refused.ToString(), StringComparison.Ordinal);
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));

    private static async Task AssertChainVerifiesAsync(AppFactory app)
    {
        var verify = await (await app.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
    }
}
