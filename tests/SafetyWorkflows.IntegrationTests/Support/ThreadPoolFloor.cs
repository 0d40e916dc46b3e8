using System.Runtime.CompilerServices;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// Every in-process app of this assembly shares one thread pool with the tests themselves, and SQLite's "async" calls
/// block their thread while the file is busy. On a two-core runner the pool starts with two threads and adds about one a
/// second, so a test that fires dozens of concurrent decisions at its app starved a browser test's app next door: a
/// sign-in or a hand-over then waited over a minute for a thread and the page timed out. A floor of threads that a busy
/// neighbour cannot exhaust keeps each app's latency its own. This changes no product behaviour.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completionPorts, 64));
    }
}
