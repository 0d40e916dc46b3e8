using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Clocks;

/// <summary>
/// Hangfire logs through one process-wide provider while each host has its own logger factory: a host that stops must not
/// break job creation (a submit schedules timers) in a host that goes on in the same process.
/// </summary>
public sealed class SharedProcessHostsTests
{
    [Fact]
    public async Task AHostThatStopped_DoesNotBreakSchedulingInAnother()
    {
        await using var survivor = new AppFactory();
        var driver = new ApprovalDriver(survivor);
        await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "先启动的主机");

        var gone = new AppFactory();
        await new ApprovalDriver(gone).UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "后启动又停止的主机");
        await gone.DisposeAsync();

        // What Hangfire does when it first meets a job method (AutomaticRetryAttribute's constructor asks for a logger).
        var log = Hangfire.Logging.LogProvider.GetLogger("after-the-host-stopped");
        log.Log(Hangfire.Logging.LogLevel.Info, () => "still fine");

        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "停机之后仍可提交");
        Assert.Single(await driver.OpenTasksAsync("wangqiang", id));
    }
}
