namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Sandbox limits for <see cref="JavaScriptEvaluator"/>, bound from the configuration section <see cref="SectionName"/>.
/// They apply to each evaluation on its own (a pooled engine's counters start again every time); breaking one ends the
/// script with an <see cref="ExpressionException"/> that names the limit, and the engine is thrown away.
/// </summary>
public sealed class JavaScriptOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Workflows:JavaScript";

    /// <summary>Wall-clock time one evaluation may take, including awaiting a returned promise. Default 2 seconds.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Bytes one evaluation may allocate (measured on the evaluating thread). Default 16 MB. Also caps the length of a
    /// single array at an eighth of this number of elements.
    /// </summary>
    public long MemoryLimitBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Maximum depth of nested JavaScript function calls. Default 256.</summary>
    public int RecursionLimit { get; set; } = 256;

    /// <summary>Maximum number of statements one evaluation may execute. Default 10,000,000.</summary>
    public int MaxStatements { get; set; } = 10_000_000;
}
