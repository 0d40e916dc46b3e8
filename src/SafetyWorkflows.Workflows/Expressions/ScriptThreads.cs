using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Long-lived threads with a large stack that run Jint for the callers, who wait for the result. Jint's parser and some
/// built-ins (String() or JSON.stringify of deeply nested values) recurse natively; on a normal 1 MB stack a hostile
/// script could overflow it, and a stack overflow kills the process, which no catch can stop. Starting a thread per
/// evaluation costs about 250 µs, so the threads are kept: an idle one is handed the next piece of work, a busy pool
/// grows (a runaway script never makes another evaluation wait), and a thread idle for <see cref="IdleLifetime"/>
/// ends. Only the stack pages actually used are committed.
/// </summary>
internal sealed class ScriptThreads
{
    private static readonly ConcurrentDictionary<int, ScriptThreads> ByStackSize = new();

    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount * 2);

    private readonly int _stackBytes;
    private readonly Lock _gate = new();
    private readonly List<Worker> _idle = [];

    private ScriptThreads(int stackBytes) => _stackBytes = stackBytes;

    /// <summary>The threads with this stack size (one set per size, shared by every evaluator).</summary>
    public static ScriptThreads For(int stackBytes) => ByStackSize.GetOrAdd(stackBytes, bytes => new ScriptThreads(bytes));

    /// <summary>Runs <paramref name="work"/> on one of the threads and returns its result or rethrows its exception.</summary>
    public T Run<T>(Func<T> work)
    {
        Worker? worker = null;
        lock (_gate)
        {
            if (_idle.Count > 0)
            {
                worker = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
            }
        }

        worker ??= new Worker(this);
        T result = default!;
        worker.Execute(() => result = work());
        Release(worker);
        return result;
    }

    private void Release(Worker worker)
    {
        lock (_gate)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Add(worker);
                return;
            }
        }

        worker.Stop();
    }

    /// <summary>Called by a thread that waited <see cref="IdleLifetime"/> for work: ends it unless it was just handed some.</summary>
    private bool TryRetire(Worker worker)
    {
        lock (_gate)
        {
            return _idle.Remove(worker);
        }
    }

    private sealed class Worker : IDisposable
    {
        private readonly ScriptThreads _owner;
        private readonly ManualResetEventSlim _ready = new(false);
        private readonly ManualResetEventSlim _done = new(false);
        private Action? _work;
        private Exception? _failure;
        private bool _stopping;

        public Worker(ScriptThreads owner)
        {
            _owner = owner;
            var thread = new Thread(Loop, owner._stackBytes) { IsBackground = true, Name = "JavaScript" };
            thread.UnsafeStart();
        }

        public void Execute(Action work)
        {
            _work = work;
            _done.Reset();
            _ready.Set();
            _done.Wait();
            var failure = _failure;
            _failure = null;
            if (failure is not null)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        public void Stop()
        {
            _stopping = true;
            _ready.Set();
        }

        /// <summary>Called by the worker's own thread as it ends; nobody holds the worker any more by then.</summary>
        public void Dispose()
        {
            _ready.Dispose();
            _done.Dispose();
        }

        private void Loop()
        {
            try
            {
                Serve();
            }
            finally
            {
                Dispose();
            }
        }

        private void Serve()
        {
            while (true)
            {
                if (!_ready.Wait(IdleLifetime))
                {
                    if (_owner.TryRetire(this))
                    {
                        return;
                    }

                    // Handed work at the moment the wait ran out: the caller's Set is on its way.
                    continue;
                }

                _ready.Reset();
                if (_stopping)
                {
                    return;
                }

                try
                {
                    _work!();
                }
                catch (Exception ex)
                {
                    _failure = ex;
                }

                _work = null;
                _done.Set();
            }
        }
    }
}
