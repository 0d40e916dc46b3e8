using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows.Expressions;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Where a request's time goes, without touching the app: EF Core's diagnostic events (every command, its rows, bytes and
/// time; every commit), a decorator on the JavaScript evaluator (calls, time), on Hangfire's job client and on the
/// workflow scheduler (jobs created and their time). Hangfire's own SQLite commits are not visible here (its storage runs
/// on sqlite-net, outside EF): ADR-012 counted them as fsyncs with strace. Counters are process-wide: read them around one
/// call at a time.
/// </summary>
internal sealed partial class HotPathProbe : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private readonly object _gate = new();
    private readonly Counters _now = new();

    private static readonly AsyncLocal<bool> Measured = new();

    private static readonly HashSet<string> Events =
    [
        RelationalEventId.CommandExecuted.Name!, RelationalEventId.TransactionCommitted.Name!, CoreEventId.SaveChangesCompleted.Name!,
    ];

    /// <summary>Whether EF Core's events reach the probe at all: on only for the profiled repeats, off (the default) otherwise.</summary>
    public bool Listening { get; set; }

    public HotPathProbe() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    /// <summary>
    /// Counts only the work of the call running in this execution context from here on (its awaits, its in-process
    /// requests), not what runs beside it in the background: the outbox pump, delivery and timer jobs.
    /// </summary>
    public static void MarkMeasured() => Measured.Value = true;


    public Counters Snapshot()
    {
        lock (_gate)
        {
            var copy = _now.Clone();
            copy.Allocated = GC.GetTotalAllocatedBytes(precise: false);
            return copy;
        }
    }

    /// <summary>Registers the decorators (JavaScript evaluator, Hangfire job client, workflow scheduler) on the app's services.</summary>
    public void Decorate(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IExpressionEvaluator) && d.ImplementationType == typeof(JavaScriptEvaluator)).ToList())
        {
            services.Remove(descriptor);
            services.AddSingleton<IExpressionEvaluator>(sp => new TimedEvaluator(ActivatorUtilities.CreateInstance<JavaScriptEvaluator>(sp), this));
        }

        Replace<IBackgroundJobClient>(services, inner => new CountingJobClient(inner, this));
        Replace<IWorkflowScheduler>(services, inner => new CountingScheduler(inner, this));
    }

    private static void Replace<T>(IServiceCollection services, Func<T, T> decorate)
        where T : class
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(T));
        if (descriptor is null)
        {
            return;
        }

        services.Remove(descriptor);
        services.Add(new ServiceDescriptor(typeof(T), sp => decorate((T)Build(sp, descriptor)), descriptor.Lifetime));
    }

    private static object Build(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance ?? descriptor.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.EntityFrameworkCore")
        {
            lock (_subscriptions)
            {
                // Only the three events read here, and only while listening: a subscriber that takes every event makes EF
                // build an event object for each tracked entity's change as well, in every phase (about a tenth more CPU
                // per order in the concurrent phases, which are not profiled).
                _subscriptions.Add(value.Subscribe(this, name => Listening && Events.Contains(name)));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (!Measured.Value)
        {
            return;
        }

        switch (value.Value)
        {
            case CommandExecutedEventData executed:
                Command(executed.Command, executed.Duration, executed.Result);
                break;
            case TransactionEndEventData ended when value.Key == RelationalEventId.TransactionCommitted.Name:
                lock (_gate)
                {
                    _now.Commits++;
                    _now.CommitMs += ended.Duration.TotalMilliseconds;
                }

                break;
            case DbContextEventData when value.Key == CoreEventId.SaveChangesCompleted.Name:
                lock (_gate)
                {
                    _now.SaveChanges++;
                }

                break;
        }
    }

    private void Command(DbCommand command, TimeSpan duration, object? result)
    {
        var statements = command.CommandText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lock (_gate)
        {
            _now.Commands++;
            _now.CommandMs += duration.TotalMilliseconds;
            foreach (var statement in statements)
            {
                var match = WriteStatement().Match(statement);
                if (!match.Success)
                {
                    if (statement.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || statement.StartsWith("WITH", StringComparison.OrdinalIgnoreCase))
                    {
                        _now.Selects++;
                        var from = ReadTable().Match(statement);
                        var read = "SELECT " + (from.Success ? from.Groups["table"].Value : "(no table)");
                        _now.Rows[read] = _now.Rows.GetValueOrDefault(read) + 1;
                    }

                    continue;
                }

                var table = match.Groups["table"].Value;
                var bytes = 0L;
                foreach (Match name in ParameterName().Matches(statement))
                {
                    if (command.Parameters.Contains(name.Value) && command.Parameters[name.Value].Value is { } parameter)
                    {
                        bytes += parameter switch
                        {
                            string text => Encoding.UTF8.GetByteCount(text),
                            byte[] blob => blob.Length,
                            _ => 8,
                        };
                    }
                }

                var key = match.Groups["verb"].Value.ToUpperInvariant() + " " + table;
                _now.Rows[key] = _now.Rows.GetValueOrDefault(key) + 1;
                _now.Bytes[key] = _now.Bytes.GetValueOrDefault(key) + bytes;
                if (command.Transaction is null)
                {
                    _now.AutoCommits++;
                }
            }
        }
    }

    [GeneratedRegex("""^(?<verb>INSERT|UPDATE|DELETE)\s+(?:OR\s+\w+\s+)?(?:INTO|FROM)?\s*"?(?<table>\w+)"?""", RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();

    [GeneratedRegex("""\bFROM\s+"?(?<table>\w+)"?""", RegexOptions.IgnoreCase)]
    private static partial Regex ReadTable();

    [GeneratedRegex(@"[@$:]\w+")]
    private static partial Regex ParameterName();

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }
    }

    internal void Count(Action<Counters> change)
    {
        if (!Measured.Value)
        {
            return;
        }

        lock (_gate)
        {
            change(_now);
        }
    }

    /// <summary>Cumulative counters; <see cref="Minus"/> gives what one call (or a run of calls) did.</summary>
    internal sealed class Counters
    {
        public long Commands { get; set; }

        public double CommandMs { get; set; }

        public long Selects { get; set; }

        public long Commits { get; set; }

        public double CommitMs { get; set; }

        public long AutoCommits { get; set; }

        public long SaveChanges { get; set; }

        public Dictionary<string, long> Rows { get; private set; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Bytes { get; private set; } = new(StringComparer.Ordinal);

        public long Scripts { get; set; }

        public double ScriptMs { get; set; }

        public long JobsCreated { get; set; }

        public long JobStateChanges { get; set; }

        public double JobClientMs { get; set; }

        public Dictionary<string, long> Jobs { get; private set; } = new(StringComparer.Ordinal);

        public long SchedulerCalls { get; set; }

        public double SchedulerMs { get; set; }

        public long Allocated { get; set; }

        public Counters Clone()
        {
            var copy = (Counters)MemberwiseClone();
            copy.Rows = new Dictionary<string, long>(Rows, StringComparer.Ordinal);
            copy.Bytes = new Dictionary<string, long>(Bytes, StringComparer.Ordinal);
            copy.Jobs = new Dictionary<string, long>(Jobs, StringComparer.Ordinal);
            return copy;
        }

        public Counters Minus(Counters before)
        {
            var d = Clone();
            d.Commands -= before.Commands;
            d.CommandMs -= before.CommandMs;
            d.Selects -= before.Selects;
            d.Commits -= before.Commits;
            d.CommitMs -= before.CommitMs;
            d.AutoCommits -= before.AutoCommits;
            d.SaveChanges -= before.SaveChanges;
            d.Scripts -= before.Scripts;
            d.ScriptMs -= before.ScriptMs;
            d.JobsCreated -= before.JobsCreated;
            d.JobStateChanges -= before.JobStateChanges;
            d.JobClientMs -= before.JobClientMs;
            d.SchedulerCalls -= before.SchedulerCalls;
            d.SchedulerMs -= before.SchedulerMs;
            d.Allocated -= before.Allocated;
            foreach (var (key, value) in before.Rows)
            {
                d.Rows[key] = d.Rows.GetValueOrDefault(key) - value;
            }

            foreach (var (key, value) in before.Bytes)
            {
                d.Bytes[key] = d.Bytes.GetValueOrDefault(key) - value;
            }

            foreach (var (key, value) in before.Jobs)
            {
                d.Jobs[key] = d.Jobs.GetValueOrDefault(key) - value;
            }

            return d;
        }

        public void Add(Counters other)
        {
            Commands += other.Commands;
            CommandMs += other.CommandMs;
            Selects += other.Selects;
            Commits += other.Commits;
            CommitMs += other.CommitMs;
            AutoCommits += other.AutoCommits;
            SaveChanges += other.SaveChanges;
            Scripts += other.Scripts;
            ScriptMs += other.ScriptMs;
            JobsCreated += other.JobsCreated;
            JobStateChanges += other.JobStateChanges;
            JobClientMs += other.JobClientMs;
            SchedulerCalls += other.SchedulerCalls;
            SchedulerMs += other.SchedulerMs;
            Allocated += other.Allocated;
            foreach (var (key, value) in other.Rows)
            {
                Rows[key] = Rows.GetValueOrDefault(key) + value;
            }

            foreach (var (key, value) in other.Bytes)
            {
                Bytes[key] = Bytes.GetValueOrDefault(key) + value;
            }

            foreach (var (key, value) in other.Jobs)
            {
                Jobs[key] = Jobs.GetValueOrDefault(key) + value;
            }
        }

        /// <summary>Per call, over <paramref name="calls"/> calls taking <paramref name="wallMs"/> in all.</summary>
        public IEnumerable<string> Describe(int calls, double wallMs)
        {
            string F(double v) => (v / calls).ToString("0.0", CultureInfo.InvariantCulture);
            string Ms(double v) => (v / calls).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
            var wall = wallMs / calls;
            string Share(double v) => wall <= 0 ? "" : ((v / calls) / wall).ToString("0%", CultureInfo.InvariantCulture);
            yield return $"wall {Ms(wallMs)}; allocated {(Allocated / (double)calls / 1024).ToString("#,##0", CultureInfo.InvariantCulture)} KB";
            yield return $"app database: {F(Commands)} commands ({F(Selects)} SELECT statements), {F(SaveChanges)} SaveChanges, {F(Commits)} commits" +
                $" + {F(AutoCommits)} autocommitted writes; command time {Ms(CommandMs)} ({Share(CommandMs)} of wall), commit time {Ms(CommitMs)} ({Share(CommitMs)})";
            var rows = Rows.Where(r => r.Value > 0 && !r.Key.StartsWith("SELECT ", StringComparison.Ordinal)).OrderByDescending(r => Bytes.GetValueOrDefault(r.Key)).ToList();
            yield return $"rows written {F(rows.Sum(r => r.Value))}, parameter bytes written {F(Bytes.Values.Sum())}:";
            foreach (var (key, value) in rows)
            {
                yield return $"    {key,-36} {F(value)} rows, {F(Bytes.GetValueOrDefault(key))} bytes";
            }

            var reads = Rows.Where(r => r.Value > 0 && r.Key.StartsWith("SELECT ", StringComparison.Ordinal)).OrderByDescending(r => r.Value).ToList();
            yield return $"SELECT statements by their first table:";
            foreach (var (key, value) in reads)
            {
                yield return $"    {key,-36} {F(value)}";
            }

            yield return $"JavaScript: {F(Scripts)} evaluations, {Ms(ScriptMs)} ({Share(ScriptMs)} of wall)";
            yield return $"Hangfire: {F(JobsCreated)} jobs created + {F(JobStateChanges)} state changes through the job client, {Ms(JobClientMs)} ({Share(JobClientMs)} of wall);" +
                $" {F(SchedulerCalls)} scheduler calls (the timer jobs and their bookkeeping), {Ms(SchedulerMs)}";
            foreach (var (key, value) in Jobs.Where(j => j.Value > 0).OrderByDescending(j => j.Value))
            {
                yield return $"    {key,-36} {F(value)}";
            }
        }
    }

    private sealed class TimedEvaluator(IExpressionEvaluator inner, HotPathProbe probe) : IExpressionEvaluator
    {
        public string Type => inner.Type;

        public async ValueTask<object?> EvaluateAsync(string script, IExpressionContext context, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                return await inner.EvaluateAsync(script, context, cancellationToken);
            }
            finally
            {
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                probe.Count(c =>
                {
                    c.Scripts++;
                    c.ScriptMs += ms;
                });
            }
        }

        public string? CheckSyntax(string script) => inner.CheckSyntax(script);
    }

    private sealed class CountingJobClient(IBackgroundJobClient inner, HotPathProbe probe) : IBackgroundJobClientV2
    {
        public JobStorage Storage => inner is IBackgroundJobClientV2 v2 ? v2.Storage : JobStorage.Current;

        public string Create(Job job, IState state) => Create(job, state, null);

        public string Create(Job job, IState state, IDictionary<string, object>? parameters)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                return inner is IBackgroundJobClientV2 v2 && parameters is not null ? v2.Create(job, state, parameters) : inner.Create(job, state);
            }
            finally
            {
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var key = $"{job.Type.Name}.{job.Method.Name} ({state.Name})";
                probe.Count(c =>
                {
                    c.JobsCreated++;
                    c.JobClientMs += ms;
                    c.Jobs[key] = c.Jobs.GetValueOrDefault(key) + 1;
                });
            }
        }

        public bool ChangeState(string jobId, IState state, string expectedState)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                return inner.ChangeState(jobId, state, expectedState);
            }
            finally
            {
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var key = $"change state → {state.Name}";
                probe.Count(c =>
                {
                    c.JobStateChanges++;
                    c.JobClientMs += ms;
                    c.Jobs[key] = c.Jobs.GetValueOrDefault(key) + 1;
                });
            }
        }
    }

    private sealed class CountingScheduler(IWorkflowScheduler inner, HotPathProbe probe) : IWorkflowScheduler
    {
        public Task ScheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, DateTimeOffset at, CancellationToken cancellationToken) =>
            TimeAsync(() => inner.ScheduleBookmarkAsync(workflowInstanceId, bookmarkId, at, cancellationToken));

        public Task UnscheduleBookmarkAsync(string workflowInstanceId, string bookmarkId, CancellationToken cancellationToken) =>
            TimeAsync(() => inner.UnscheduleBookmarkAsync(workflowInstanceId, bookmarkId, cancellationToken));

        public Task ScheduleTriggerAsync(string triggerId, DateTimeOffset at, CancellationToken cancellationToken) =>
            TimeAsync(() => inner.ScheduleTriggerAsync(triggerId, at, cancellationToken));

        public Task UnscheduleTriggerAsync(string triggerId, CancellationToken cancellationToken) =>
            TimeAsync(() => inner.UnscheduleTriggerAsync(triggerId, cancellationToken));

        private async Task TimeAsync(Func<Task> call)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await call();
            }
            finally
            {
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                probe.Count(c =>
                {
                    c.SchedulerCalls++;
                    c.SchedulerMs += ms;
                });
            }
        }
    }
}
