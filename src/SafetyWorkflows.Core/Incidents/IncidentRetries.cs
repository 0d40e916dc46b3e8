namespace SafetyWorkflows.Core.Incidents;

/// <summary>
/// Who is retrying a stopped workflow in this unit of work, so that the run's observer (<see cref="IncidentInbox"/>),
/// which commits with the run, closes the 流程异常 tasks in that person's name.
/// </summary>
public sealed class IncidentRetries
{
    public string? RetriedBy { get; private set; }

    public IDisposable Begin(string userName)
    {
        RetriedBy = userName;
        return new End(this);
    }

    private sealed class End(IncidentRetries owner) : IDisposable
    {
        public void Dispose() => owner.RetriedBy = null;
    }
}
