namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>The outbox pump's jobs carry a batch of ids: each id is handled on its own, and a failure stops no other.</summary>
internal static class JobBatch
{
    /// <summary>
    /// Runs <paramref name="each"/> for every id, then <paramref name="afterEach"/> whether it failed or not (e.g. to
    /// forget what a shared unit of work tracked for it: half-made changes after a failure, and, after a success, rows
    /// that every later save of the batch would otherwise compare again), and goes on. Throws at the end, naming the ids
    /// that failed, so the job shows as failed.
    /// </summary>
    public static async Task RunAsync<T>(IReadOnlyList<T> ids, string what, Func<T, Task> each, Action? afterEach = null)
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
            }
            finally
            {
                afterEach?.Invoke();
            }
        }

        if (failed.Count > 0)
        {
            throw new AggregateException($"{failed.Count} of {ids.Count} {what} failed: {string.Join(", ", failed.Select(f => f.Id))}", failed.Select(f => f.Error));
        }
    }
}
