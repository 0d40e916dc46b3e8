using Hangfire;
using SafetyWorkflows.Infrastructure.Scheduling;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>What Hangfire itself recorded: the workflow timer jobs that ran to success (notification deliveries are jobs too).</summary>
public static class HangfireProbe
{
    /// <summary>Waits (a job is marked succeeded just after it returns) until <paramref name="expected"/> timer jobs succeeded, then returns the count.</summary>
    public static async Task<int> SucceededTimerJobsAsync(JobStorage storage, int expected)
    {
        var monitoring = storage.GetMonitoringApi();
        var count = 0;
        for (var i = 0; i < 40; i++)
        {
            count = monitoring.SucceededJobs(0, 1000).Count(j => j.Value.Job?.Type == typeof(WorkflowTimerJobs));
            if (count >= expected)
            {
                break;
            }

            await Task.Delay(250);
        }

        return count;
    }
}
