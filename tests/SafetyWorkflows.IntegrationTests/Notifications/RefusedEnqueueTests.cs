using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

/// <summary>
/// A decision never talks to Hangfire (ADR-012): its notices are rows committed with it, and the outbox pump hands them
/// to jobs later. A job store that refuses therefore cannot touch the decision, and the pump, refused, leaves the rows
/// for its next cycle instead of losing them.
/// </summary>
public sealed class RefusedEnqueueTests
{
    [Fact]
    public async Task ADecision_NeverAsksTheJobStore_AndARefusedPumpLeavesItsDeliveriesForTheNextCycle()
    {
        var store = new RefusingJobClient();
        await using var app = new AppFactory(services: s => s.AddSingleton<IBackgroundJobClient>(store));
        var driver = new ApprovalDriver(app);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（任务队列拒收）");

        store.Refuse = true;
        var asked = store.Asked;
        await driver.DecideAsync("wangqiang", id, "approve", "同意");

        Assert.Equal(asked, store.Asked);
        Assert.Single(await driver.OpenTasksAsync("liuhua", id));
        const string waiting = "SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Pending' AND HandedOffAt IS NULL AND Recipient = 'liuhua'";
        Assert.True(await app.ScalarAsync(waiting) >= 1);

        var pump = app.Services.GetRequiredService<OutboxPump>();
        await Assert.ThrowsAsync<BackgroundJobClientException>(() => pump.PumpAsync(CancellationToken.None));
        Assert.True(store.Refused > 0, "the pump never asked the job store");
        Assert.True(await app.ScalarAsync(waiting) >= 1);

        store.Refuse = false;
        Assert.True(await pump.PumpAsync(CancellationToken.None) >= 1);
        Assert.Equal(0, await app.ScalarAsync(waiting));
        Assert.Contains(store.Created, job => job.Method.Name == nameof(NotificationDispatcher.DeliverManyAsync));
    }

    private sealed class RefusingJobClient : IBackgroundJobClient
    {
        public bool Refuse { get; set; }

        public int Refused { get; private set; }

        public int Asked { get; private set; }

        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Asked++;
            if (Refuse)
            {
                Refused++;
                throw new BackgroundJobClientException("the job store is busy", new InvalidOperationException("database is locked"));
            }

            Created.Add(job);
            return Guid.NewGuid().ToString("N");
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
