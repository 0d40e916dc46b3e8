namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>The outbox pump's jobs carry a batch of ids: each id is handled on its own, and a failure stops no other.</summary>
internal static class JobBatch
{
    /// <summary>
    /// Runs <paramref name="each"/> for every id; after a failure runs <paramref name="afterFailure"/> (e.g. to drop
    /// half-made changes) and goes on. Throws at the end, naming the ids that failed, so the job shows as failed.
    /// </summary>
    public static async Task RunAsync<T>(IReadOnlyList<T> ids, string what, Func<T, Task> each, Action? afterFailure = null)
    {
        var failed = new List<(T Id, Exception Error)>();
        foreach (var id in ids)
        {
            try
            {
                await each(id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.Add((id, ex));
                afterFailure?.Invoke();
            }
        }

        if (failed.Count > 0)
        {
            throw new AggregateException($"{failed.Count} of {ids.Count} {what} failed: {string.Join(", ", failed.Select(f => f.Id))}", failed.Select(f => f.Error));
        }
    }
}
