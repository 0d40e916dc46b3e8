using System.Collections.Concurrent;

namespace SafetyWorkflows.Workflows.Execution;

/// <summary>
/// The runs going on in this process, by instance id, so that a cancel request reaches a run that is still executing
/// (a dispatched instance runs in the background and is stored only when its run ends). Cancellation is cooperative:
/// the run checks between activities, ends the instance as Cancelled and the host commits that.
/// </summary>
/// <remarks>Only this process's runs are known; on several nodes a cancel reaches a running burst only on its own node.</remarks>
public sealed class RunningWorkflows
{
    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);

    /// <summary>Registers a run of <paramref name="instanceId"/>; dispose the handle when the run ends.</summary>
    public Run Enter(string instanceId)
    {
        var run = new Run(this, instanceId);
        _runs[instanceId] = run;
        return run;
    }

    /// <summary>Asks the run of <paramref name="instanceId"/> to stop; false when no run of it is going on here.</summary>
    public bool RequestCancel(string instanceId)
    {
        if (!_runs.TryGetValue(instanceId, out var run))
        {
            return false;
        }

        run.Cancel();
        return true;
    }

    /// <summary>Whether a run of <paramref name="instanceId"/> is going on in this process.</summary>
    public bool IsRunning(string instanceId) => _runs.ContainsKey(instanceId);

    /// <summary>Waits until no run of <paramref name="instanceId"/> is going on here, or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_runs.TryGetValue(instanceId, out var run))
        {
            return true;
        }

        try
        {
            await run.Ended.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>One registered run: its cancel signal and when it ended.</summary>
    public sealed class Run : IDisposable
    {
        private readonly RunningWorkflows _owner;
        private readonly CancellationTokenSource _cancel = new();
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal Run(RunningWorkflows owner, string instanceId)
        {
            _owner = owner;
            InstanceId = instanceId;
        }

        public string InstanceId { get; }

        /// <summary>Signalled when someone asked the run to cancel the instance.</summary>
        public CancellationToken CancelRequested => _cancel.Token;

        internal Task Ended => _ended.Task;

        internal void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run ended meanwhile: nothing left to cancel.
            }
        }

        public void Dispose()
        {
            _owner._runs.TryRemove(new KeyValuePair<string, Run>(InstanceId, this));
            _ended.TrySetResult();
            _cancel.Dispose();
        }
    }
}
