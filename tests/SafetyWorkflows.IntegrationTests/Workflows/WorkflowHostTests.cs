using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>The runtime with its real persistence: SQLite files, the app's DI, new hosts on the same files.</summary>
public sealed class WorkflowHostTests
{
    private const string WaitForGo = """
        {
          "id": "v1-wait-for-go", "definitionId": "wait-for-go", "name": "Wait for go", "version": 1,
          "variables": [ { "id": "received", "name": "Received", "typeName": "Object", "value": null, "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
          "root": {
            "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "go", "type": "Elsa.Event", "version": 1,
                "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "Go" } },
                "result": { "typeName": "Object", "memoryReference": { "id": "received" } } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "go", "port": "In" } },
              { "source": { "activity": "go", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    [Fact]
    public async Task SuspendedInstance_SurvivesANewHostOnTheSameFiles_AndResumesThere()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        string instanceId;
        await using (var first = new AppFactory(dataDirectory))
        {
            await PublishAsync(first, WaitForGo);
            await using var scope = first.Services.CreateAsyncScope();
            var started = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync("wait-for-go", new StartWorkflowRequest(), null, CancellationToken.None);
            instanceId = started.State.Id;
            Assert.Equal(WorkflowSubStatus.Suspended, started.State.SubStatus);
        }

        await using var second = new AppFactory(dataDirectory);
        await using (var scope = second.Services.CreateAsyncScope())
        {
            var runs = await scope.ServiceProvider.GetRequiredService<WorkflowHost>()
                .TriggerEventAsync("Go", null, null, new JsonObject { ["approvedBy"] = "liuhua" }, CancellationToken.None);
            Assert.Single(runs);
        }

        await using var check = second.Services.CreateAsyncScope();
        var instance = await check.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>().FindAsync(instanceId, CancellationToken.None);
        Assert.NotNull(instance);
        Assert.Equal(WorkflowSubStatus.Finished, instance.State.SubStatus);
        Assert.Empty(instance.State.Bookmarks);
        var journal = await check.ServiceProvider.GetRequiredService<IWorkflowJournalStore>().ListAsync(instanceId, CancellationToken.None);
        Assert.Equal(["go:Started", "go:Suspended", "go:Resumed", "go:Completed"],
            journal.Where(j => j.ActivityId == "go").Select(j => $"{j.ActivityId}:{j.EventName}").ToArray());
        Assert.Equal(journal.Select(j => j.Sequence).Order(), journal.Select(j => j.Sequence));
        var root = instance.State.ActivityExecutionContexts.Single(c => c.ParentContextId is null);
        Assert.Equal("liuhua", root.Properties["Variables"]?["received"]?["approvedBy"]?.GetValue<string>());
        Assert.Empty(await check.ServiceProvider.GetRequiredService<IBookmarkStore>().ListByInstanceAsync(instanceId, CancellationToken.None));
    }

    [Fact]
    public async Task TwoResumesOfOneBookmarkAtOnce_OneContinues_TheOtherIsToldTheBookmarkIsGone()
    {
        await using var app = new AppFactory();
        await PublishAsync(app, WaitForGo);
        string instanceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            instanceId = (await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync("wait-for-go", new StartWorkflowRequest(), null, CancellationToken.None)).State.Id;
        }

        string bookmarkId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            bookmarkId = (await scope.ServiceProvider.GetRequiredService<IBookmarkStore>().ListByInstanceAsync(instanceId, CancellationToken.None)).Single().Id;
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<WorkflowHost>().ResumeAsync(bookmarkId, new JsonObject { ["__EventPayloadWorkflowInput"] = new JsonObject { ["by"] = i } }, CancellationToken.None);
                return "resumed";
            }
            catch (BookmarkNotFoundException ex)
            {
                Assert.Contains("no longer exists", ex.Message, StringComparison.Ordinal);
                return "gone";
            }
        }));

        Assert.Equal(["gone", "resumed"], outcomes.Order(StringComparer.Ordinal).ToArray());
        await using var check = app.Services.CreateAsyncScope();
        var instance = await check.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>().FindAsync(instanceId, CancellationToken.None);
        Assert.Equal(WorkflowSubStatus.Finished, instance!.State.SubStatus);
        var journal = await check.ServiceProvider.GetRequiredService<IWorkflowJournalStore>().ListAsync(instanceId, CancellationToken.None);
        Assert.Single(journal, j => j.ActivityId == "go" && j.EventName == "Resumed");
        Assert.Single(journal, j => j.ActivityId == "end" && j.EventName == "Completed");
    }

    [Fact]
    public async Task WorkflowFiles_NewBecomesV1_UnchangedIsANoOp_ChangedBecomesV2_BrokenStopsStartUp()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        var workflows = Path.Combine(dataDirectory, "workflow-files");
        Directory.CreateDirectory(workflows);
        var file = Path.Combine(workflows, "wait-for-go.json");
        await File.WriteAllTextAsync(file, WaitForGo);

        await using (var first = new AppFactory(dataDirectory, workflowsDirectory: workflows))
        {
            _ = first.Server;
            Assert.Equal([(1, true, true)], await VersionsAsync(first));
        }

        await using (var second = new AppFactory(dataDirectory, workflowsDirectory: workflows))
        {
            _ = second.Server;
            Assert.Equal([(1, true, true)], await VersionsAsync(second));
        }

        await File.WriteAllTextAsync(file, WaitForGo.Replace("\"Go\"", "\"Go now\"", StringComparison.Ordinal));
        await using (var third = new AppFactory(dataDirectory, workflowsDirectory: workflows))
        {
            _ = third.Server;
            Assert.Equal([(2, true, true), (1, false, false)], await VersionsAsync(third));
        }

        await File.WriteAllTextAsync(Path.Combine(workflows, "zz-broken.json"),
            WaitForGo.Replace("wait-for-go", "broken", StringComparison.Ordinal).Replace("Elsa.End", "Elsa.Ends", StringComparison.Ordinal));
        await using var fourth = new AppFactory(dataDirectory, workflowsDirectory: workflows);
        var error = Assert.Throws<DefinitionException>(() => fourth.Server);
        Assert.Contains("zz-broken.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("'end'", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown activity type 'Elsa.Ends'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await new AppFactory(dataDirectory).ScalarAsync("SELECT COUNT(*) FROM WorkflowDefinitions"));
    }

    private static async Task PublishAsync(AppFactory app, string json)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>()
            .PublishAsync("wait-for-go", DefinitionReader.Parse(json, "test"), CancellationToken.None);
    }

    private static async Task<List<(int Version, bool IsLatest, bool IsPublished)>> VersionsAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SafetyDbContext>();
        var rows = await db.Set<WorkflowDefinitionRow>().Where(d => d.DefinitionId == "wait-for-go").OrderByDescending(d => d.Version).ToListAsync();
        return rows.Select(r => (r.Version, r.IsLatest, r.IsPublished)).ToList();
    }
}
