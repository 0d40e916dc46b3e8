using System.Diagnostics;
using System.Globalization;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Constraints;
using Jint.Runtime;
using Microsoft.Extensions.Options;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Elsa's <c>JavaScript</c> expressions on Jint, in a sandbox: strict mode, no CLR access, and the time, memory,
/// recursion and statement limits of <see cref="JavaScriptOptions"/>, each evaluation on its own.
/// </summary>
/// <remarks>
/// <para>
/// Engines are pooled (ADR-012): a script that <see cref="ScriptTraits"/> proves cannot change a shared object runs on
/// a pooled engine whose global bindings are restored afterwards when the script touched them, so one evaluation never
/// sees another's variables, declarations or context; any other script runs on a fresh engine, thrown away afterwards.
/// </para>
/// <para>
/// The script may <c>return</c> at top level; otherwise its value is the value of the last expression statement. A
/// returned promise is awaited within the time limit. Scripts see Elsa's helper functions (<c>getVariable</c>,
/// <c>setVariable</c>, <c>getInput</c>, <c>getOutputFrom</c>, <c>setOutcome</c>, ...), generated accessors
/// (<c>getOrderTotal()</c>, <c>setOrderTotal(v)</c>, <c>getResultFromApprove1()</c>) and the <c>variables</c> object.
/// </para>
/// <para>
/// Values going in: null, strings, booleans and numbers as such (every number becomes a JavaScript double);
/// <see cref="DateTimeOffset"/> and <see cref="DateTime"/> as a JavaScript <c>Date</c> (a DateTime of unspecified
/// kind is taken as UTC; the offset and sub-millisecond digits are lost); <see cref="System.Text.Json.Nodes.JsonNode"/>
/// and other objects as plain JavaScript objects and arrays; dictionaries as objects; other sequences as arrays;
/// <c>byte[]</c> as a <c>Uint8Array</c>; Guid, TimeSpan, DateOnly, TimeOnly and enums as strings.
/// </para>
/// <para>
/// Values coming out (the result, <c>setVariable</c> values, written-back <c>variables.X</c>): undefined and null as null;
/// strings and booleans as such; numbers as <see cref="long"/> when integral and within its range, else
/// <see cref="double"/>; a <c>Date</c> as a UTC <see cref="DateTimeOffset"/>; objects and arrays (typed arrays
/// included) as <see cref="System.Text.Json.Nodes.JsonObject"/>/<see cref="System.Text.Json.Nodes.JsonArray"/>, in
/// which nested Dates become ISO 8601 strings and functions are left out, as JSON.stringify does.
/// </para>
/// </remarks>
public sealed class JavaScriptEvaluator : IExpressionEvaluator
{
    private const int ScriptCacheCapacity = 512;
    private const string SourceName = "script";

    private static readonly ScriptPreparationOptions PreparationOptions = new()
    {
        ParsingOptions = new ScriptParsingOptions { AllowReturnOutsideFunction = true },
    };

    private static readonly CancellationTokenSource NeverCancelled = new();

    private static readonly int MaxPooledEngines = Math.Max(2, Environment.ProcessorCount * 2);

    private readonly JavaScriptOptions _options;
    private readonly TimeProvider _clock;
    private readonly BoundedCache<CompiledScript> _scripts = new(ScriptCacheCapacity);
    private readonly Stack<PooledEngine> _engines = new();
    private readonly Lock _enginesGate = new();
    private readonly ScriptThreads _threads;

    /// <summary>Creates the evaluator; the limits are read once, here.</summary>
    /// <param name="options">The sandbox limits.</param>
    /// <param name="clock">What <c>new Date()</c> and <c>Date.now()</c> read; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public JavaScriptEvaluator(IOptions<JavaScriptOptions> options, TimeProvider? clock = null)
    {
        _options = options.Value;
        _clock = clock ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.TimeLimit, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MemoryLimitBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.RecursionLimit, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxStatements, nameof(options));
        _threads = ScriptThreads.For((int)Math.Clamp(_options.MemoryLimitBytes * 16, 16L * 1024 * 1024, 1024L * 1024 * 1024));
    }

    /// <summary>Engines waiting in the pool (for tests).</summary>
    internal int PooledEngineCount
    {
        get
        {
            lock (_enginesGate)
            {
                return _engines.Count;
            }
        }
    }

    /// <inheritdoc />
    public string Type => "JavaScript";

    /// <inheritdoc />
    /// <remarks>
    /// Runs on one of the large-stack script threads (<see cref="ScriptThreads"/>) while the calling thread waits, so it
    /// completes synchronously; the memory limit is measured on that thread. <c>setVariable</c>,
    /// <c>setCorrelationId</c>, <c>setOutcome</c> and friends change the context at once; <c>variables.X</c>
    /// assignments are written back only when the script completes. Cancelling the token stops the script with an
    /// <see cref="OperationCanceledException"/>.
    /// </remarks>
    public ValueTask<object?> EvaluateAsync(string script, IExpressionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(OnLargeStack(() => Evaluate(script, context, cancellationToken)));
    }

    /// <summary>
    /// Runs the script on a pooled engine when <see cref="ScriptTraits.Reusable"/> says it cannot leave anything behind
    /// for the next script, otherwise on a fresh engine that is thrown away afterwards. A pooled engine goes back to the
    /// pool only after a script that completed: one that failed or broke a limit may have been stopped half-way.
    /// </summary>
    private object? Evaluate(string script, IExpressionContext context, CancellationToken cancellationToken)
    {
        PooledEngine? engine = null;
        var keep = false;
        try
        {
            var compiled = Compile(script);
            var traits = compiled.Traits;
            engine = traits.Reusable ? Rent() : CreateEngine();
            engine.Cancellation.Reset(cancellationToken);
            if (compiled.UsesCommonTypes && !engine.CommonTypesInstalled)
            {
                engine.InstallCommonTypes();
            }

            engine.Scope.Begin(context, traits.Reusable ? traits.Names : null);

            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var result = engine.Engine.Evaluate(compiled.Prepared);
            if (result.IsPromise())
            {
                result = AwaitPromise(result);
            }

            // Jint checks the memory limit between statements; this catches a last statement that allocated too much.
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > _options.MemoryLimitBytes)
            {
                throw MemoryLimitBroken(null);
            }

            engine.Scope.WriteBackVariables();
            var value = JavaScriptValues.ToClr(result);
            keep = traits.Reusable;
            if (keep)
            {
                engine.Scope.End();
                if (traits.TouchesGlobals)
                {
                    engine.RestoreGlobals();
                }
            }

            return value;
        }
        catch (Exception ex) when (ex is not ExpressionException)
        {
            keep = false;
            throw Translate(ex, cancellationToken);
        }
        finally
        {
            if (engine is not null)
            {
                engine.Cancellation.Reset(NeverCancelled.Token);
                if (keep)
                {
                    Return(engine);
                }
                else
                {
                    engine.Dispose();
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Parses in strict mode with top-level <c>return</c> allowed, exactly as <see cref="EvaluateAsync"/> does; lines and columns count from 1.</remarks>
    public string? CheckSyntax(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return OnLargeStack(() => CheckSyntaxCore(script));
    }

    private string? CheckSyntaxCore(string script)
    {
        try
        {
            Compile(script);
            return null;
        }
        catch (ScriptPreparationException ex)
        {
            return DescribePreparationError(ex);
        }
    }

    /// <summary>Runs Jint on one of the large-stack threads of <see cref="ScriptThreads"/>, waiting for it.</summary>
    private T OnLargeStack<T>(Func<T> work) => _threads.Run(work);

    private JsValue AwaitPromise(JsValue promise)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return promise.UnwrapIfPromise(_options.TimeLimit);
        }
        catch (PromiseRejectedException) when (Stopwatch.GetElapsedTime(started) >= _options.TimeLimit)
        {
            // Jint reports a promise that never settles as a rejection with a "Timeout" text; it is our time limit.
            throw new TimeoutException("The returned promise did not settle within the time limit.");
        }
    }

    private CompiledScript Compile(string script) =>
        _scripts.GetOrAdd(script, text =>
        {
            var prepared = Engine.PrepareScript(text, SourceName, strict: true, PreparationOptions);
            return new CompiledScript(prepared, ScriptTraits.Of(prepared.Program!), JavaScriptCommonTypes.IsUsedBy(text));
        });

    private PooledEngine Rent()
    {
        lock (_enginesGate)
        {
            if (_engines.Count > 0)
            {
                return _engines.Pop();
            }
        }

        return CreateEngine();
    }

    private void Return(PooledEngine engine)
    {
        lock (_enginesGate)
        {
            if (_engines.Count < MaxPooledEngines)
            {
                _engines.Push(engine);
                return;
            }
        }

        engine.Dispose();
    }

    private PooledEngine CreateEngine()
    {
        var engine = new Engine(options =>
        {
            options.Strict = true;

            // Scripts only ever receive plain JavaScript values (JavaScriptValues), so no CLR interop is needed at all.
            options.Interop.Enabled = false;
            options.Culture = CultureInfo.InvariantCulture;
            options.TimeSystem = new ClockTimeSystem(_clock);
            options.TimeoutInterval(_options.TimeLimit);
            options.LimitMemory(_options.MemoryLimitBytes);
            options.LimitRecursion(_options.RecursionLimit);
            options.MaxStatements(_options.MaxStatements);

            // The token of the evaluation under way is set on this constraint each time (PooledEngine.Cancellation);
            // Jint only adds the constraint for a token that can be cancelled.
            options.CancellationToken(NeverCancelled.Token);

            // Without a cap, `new Array(1e9).fill(0)` allocates gigabytes in one statement, before any limit is checked.
            options.Constraints.MaxArraySize = (uint)Math.Clamp(_options.MemoryLimitBytes / 8, 1024, uint.MaxValue);
            options.Constraints.RegexTimeout = _options.TimeLimit;
            options.Constraints.PromiseTimeout = _options.TimeLimit;
        });
        return new PooledEngine(engine);
    }

    private Exception Translate(Exception ex, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested && ex is ExecutionCanceledException or OperationCanceledException)
        {
            return new OperationCanceledException("The script was cancelled.", ex, cancellationToken);
        }

        return ex switch
        {
            TimeoutException => new ExpressionException(
                $"The script exceeded the time limit of {_options.TimeLimit.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.", ex),
            MemoryLimitExceededException or OutOfMemoryException => MemoryLimitBroken(ex),
            RecursionDepthOverflowException or InsufficientExecutionStackException => new ExpressionException(
                $"The script exceeded the recursion limit of {_options.RecursionLimit.ToString(CultureInfo.InvariantCulture)} nested calls.", ex),
            StatementsCountOverflowException => new ExpressionException(
                $"The script exceeded the statement limit of {_options.MaxStatements.ToString(CultureInfo.InvariantCulture)} statements.", ex),
            ScriptPreparationException preparation => new ExpressionException(DescribePreparationError(preparation), ex),
            PromiseRejectedException rejected => new ExpressionException($"The script's promise was rejected: {DescribeThrown(rejected.RejectedValue)}", ex),
            JavaScriptException script => new ExpressionException(DescribeScriptError(script), ex),
            _ => new ExpressionException($"The script failed: {ex.Message}", ex),
        };
    }

    private ExpressionException MemoryLimitBroken(Exception? inner)
    {
        var detail = inner is MemoryLimitExceededException ? $" ({inner.Message})" : string.Empty;
        return new ExpressionException(
            $"The script exceeded the memory limit of {_options.MemoryLimitBytes.ToString(CultureInfo.InvariantCulture)} bytes{detail}.", inner);
    }

    private static string DescribePreparationError(ScriptPreparationException ex) => ex.InnerException switch
    {
        ParseErrorException error => string.Create(CultureInfo.InvariantCulture,
            $"SyntaxError: {error.Description} (line {error.LineNumber}, column {error.Column + 1})"),

        // The parser is recursive; absurd nesting such as 10,000 parentheses runs out of stack before it finds an error.
        InsufficientExecutionStackException => "SyntaxError: the script nests too deeply to parse.",
        _ => $"The script could not be prepared: {ex.Message}",
    };

    private static string DescribeScriptError(JavaScriptException ex)
    {
        var text = DescribeThrown(ex.Error);
        var start = ex.Location.Start;
        return start.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{text} (line {start.Line}, column {start.Column + 1})")
            : text;
    }

    /// <summary>"TypeError: message" for Error objects, the text itself for anything else a script can throw.</summary>
    private static string DescribeThrown(JsValue thrown)
    {
        if (!thrown.IsObject())
        {
            return TypeConverter.ToString(thrown);
        }

        var error = thrown.AsObject();
        var name = error.Get("name");
        var message = error.Get("message");
        return (name.IsString(), message.IsString()) switch
        {
            (true, true) => $"{name.AsString()}: {message.AsString()}",
            (false, true) => message.AsString(),
            _ => "a non-Error object was thrown",
        };
    }

    private sealed record CompiledScript(Prepared<Script> Prepared, ScriptTraits Traits, bool UsesCommonTypes);

    /// <summary>
    /// One engine with its helpers defined, and the snapshot of its clean global bindings that a script which touched
    /// them is rolled back to.
    /// </summary>
    private sealed class PooledEngine : IDisposable
    {
        private GlobalSnapshot _clean;

        public PooledEngine(Engine engine)
        {
            Engine = engine;
            Cancellation = engine.Constraints.Find<CancellationConstraint>()
                ?? throw new InvalidOperationException("The engine has no cancellation constraint.");
            Scope = new JavaScriptScope(engine);
            _clean = engine.Advanced.CaptureGlobalSnapshot();
        }

        public Engine Engine { get; }

        public CancellationConstraint Cancellation { get; }

        public JavaScriptScope Scope { get; }

        public bool CommonTypesInstalled { get; private set; }

        public void InstallCommonTypes()
        {
            JavaScriptCommonTypes.Install(Engine);
            CommonTypesInstalled = true;
            _clean = Engine.Advanced.CaptureGlobalSnapshot();
        }

        public void RestoreGlobals() => Engine.Advanced.RestoreGlobalSnapshot(_clean);

        public void Dispose() => Engine.Dispose();
    }
}
