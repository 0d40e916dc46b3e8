using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.IntegrationTests.Support;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;
using SafetyWorkflows.Workflows.Persistence;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>Timers go through the <see cref="IWorkflowScheduler"/> port; the embedded poller resumes what is due.</summary>
public sealed class TimerTests
{
    private const string DelayThenEnd = """
        {
          "id": "delay-v1", "definitionId": "delay-then-end", "name": "Delay then end", "version": 1,
          "root": {
            "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:10:00" } } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
              { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Delay_IsHandedToTheScheduler_AndUnscheduledWhenTheInstanceIsCancelled()
    {
        var scheduler = new Mock<IWorkflowScheduler>();
        var clock = new FakeTimeProvider(T0);
        await using var app = new AppFactory(services: s =>
        {
            s.AddSingleton(scheduler.Object);
            s.AddSingleton<TimeProvider>(clock);
        });
        await PublishAsync(app);

        await using var scope = app.Services.CreateAsyncScope();
        var host = scope.ServiceProvider.GetRequiredService<WorkflowHost>();
        var started = await host.StartAsync("delay-then-end", new StartWorkflowRequest(), null, CancellationToken.None);
        var bookmark = Assert.Single(started.State.Bookmarks);
        await host.CancelAsync(started.State.Id, CancellationToken.None);

        scheduler.Verify(s => s.ScheduleBookmarkAsync(started.State.Id, bookmark.Id, T0.AddMinutes(10), It.IsAny<CancellationToken>()), Times.Once);
        scheduler.Verify(s => s.UnscheduleBookmarkAsync(started.State.Id, bookmark.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EmbeddedPoller_ResumesADelayOnlyOnceItIsDue_AndOnlyOnce()
    {
        var clock = new FakeTimeProvider(T0);
        await using var app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        await PublishAsync(app);
        string instanceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            instanceId = (await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync("delay-then-end", new StartWorkflowRequest(), null, CancellationToken.None)).State.Id;
        }

        var poller = app.Services.GetRequiredService<DueTimerPoller>();
        var early = await poller.ResumeDueAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(9));
        var stillEarly = await poller.ResumeDueAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));

        // The background loop ticks on the same fake clock, so it may resume the delay before this call does.
        await poller.ResumeDueAsync(CancellationToken.None);
        var again = await poller.ResumeDueAsync(CancellationToken.None);

        Assert.Equal((0, 0, 0), (early, stillEarly, again));
        await using var check = app.Services.CreateAsyncScope();
        var instance = await check.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>().FindAsync(instanceId, CancellationToken.None);
        Assert.Equal(WorkflowSubStatus.Finished, instance!.State.SubStatus);
        var journal = await check.ServiceProvider.GetRequiredService<IWorkflowJournalStore>().ListAsync(instanceId, CancellationToken.None);
        Assert.Single(journal, j => j.ActivityId == "wait" && j.EventName == "Resumed");
    }

    private static async Task PublishAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>()
            .PublishAsync("delay-then-end", DefinitionReader.Parse(DelayThenEnd, "test"), CancellationToken.None);
    }
}
