namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// Hangfire.Storage.SQLite is safe for one server process only (ADR-006): this lock file, held open exclusively for
/// the life of the process, makes a second process on the same <c>hangfire.db</c> refuse to start instead of
/// corrupting the schedule.
/// </summary>
public sealed class HangfireStorageLock : IDisposable
{
    private readonly FileStream _lock;

    public HangfireStorageLock(string storageFile)
    {
        LockFile = storageFile + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(LockFile))!);
        try
        {
            _lock = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another SafetyWorkflows process already runs Hangfire on '{storageFile}' (lock '{LockFile}'). The embedded SQLite job " +
                "storage serves exactly one process: stop the other one, or give this one its own Storage:DataDirectory " +
                "(or Database:Provider=PostgreSql to scale out).", ex);
        }
    }

    public string LockFile { get; }

    public void Dispose() => _lock.Dispose();
}
