namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// Hangfire.Storage.SQLite is safe for one server process only (ADR-006): this lock file, held open exclusively for
/// the life of the process, makes a second process on the same <c>hangfire.db</c> refuse to start instead of
/// corrupting the schedule.
/// </summary>
public sealed class HangfireStorageLock : IDisposable
{
    private readonly FileStream _lock;

    /// <param name="storageFile">The Hangfire SQLite file.</param>
    /// <param name="wait">How long to wait for a predecessor that is still shutting down (a restart) before refusing.</param>
    public HangfireStorageLock(string storageFile, TimeSpan wait)
    {
        LockFile = storageFile + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(LockFile))!);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _lock = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return;
            }
            catch (IOException ex) when (waited.Elapsed >= wait)
            {
                throw new InvalidOperationException(
                    $"Another SafetyWorkflows process already runs Hangfire on '{storageFile}' (lock '{LockFile}'). The embedded SQLite job " +
                    "storage serves exactly one process: stop the other one, or give this one its own Storage:DataDirectory " +
                    "(or Database:Provider=PostgreSql to scale out).", ex);
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
        }
    }

    public string LockFile { get; }

    public void Dispose() => _lock.Dispose();
}
