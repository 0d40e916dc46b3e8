using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

/// <summary>
/// A decision is committed before its notices are handed to Hangfire: a job store that refuses then must not turn the
/// committed decision into an error. The deliveries stay pending for the sweep.
/// </summary>
public sealed class RefusedEnqueueTests
{
    [Fact]
    public async Task ADecision_WhoseNoticeJobsAreRefused_StillSucceeds_AndItsDeliveriesWaitForTheSweep()
    {
        var store = new RefusingJobClient();
        await using var app = new AppFactory(services: s => s.AddSingleton<IBackgroundJobClient>(store));
        var driver = new ApprovalDriver(app);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（任务队列拒收）");

        store.Refuse = true;
        await driver.DecideAsync("wangqiang", id, "approve", "同意");

        Assert.True(store.Refused > 0, "the job store was never asked");
        Assert.Single(await driver.OpenTasksAsync("liuhua", id));
        Assert.True(await app.ScalarAsync("SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Pending' AND Recipient = 'liuhua'") >= 1);
    }

    private sealed class RefusingJobClient : IBackgroundJobClient
    {
        public bool Refuse { get; set; }

        public int Refused { get; private set; }

        public string Create(Job job, IState state)
        {
            if (Refuse)
            {
                Refused++;
                throw new BackgroundJobClientException("the job store is busy", new InvalidOperationException("database is locked"));
            }

            return Guid.NewGuid().ToString("N");
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
