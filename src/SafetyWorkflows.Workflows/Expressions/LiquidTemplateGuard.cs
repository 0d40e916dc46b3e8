using System.Globalization;
using System.Runtime.ExceptionServices;
using Fluid;
using Fluid.Ast;
using Fluid.Parser;
using Fluid.Values;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Parses user-edited Liquid safely. Fluid's parser and renderer are recursive and have no depth check, so a template
/// of 20,000 chained <c>or</c>s or filters overflows a thread-pool stack and kills the process (a stack overflow cannot
/// be caught). Parsing therefore runs on a thread with a large stack, on a template of bounded length, and the parsed
/// tree must stay shallow enough to render on an ordinary thread. Ranges are capped as well: Fluid builds
/// <c>(1..100000000)</c> as a full array before its step limit can stop the loop.
/// </summary>
internal sealed class LiquidTemplateGuard : AstRewriter
{
    public const int MaxTemplateLength = 100_000;
    public const int MaxNesting = 200;
    public const int MaxRangeLength = 100_000;

    // Measured: 100,000 characters of the worst shapes parse within a few tens of megabytes of stack.
    private const int ParserStackBytes = 256 * 1024 * 1024;

    private int _depth;
    private int _maxDepth;

    /// <summary>Parses, checks and rewrites a template; throws <see cref="ExpressionException"/> for anything refused.</summary>
    public static IFluidTemplate Parse(FluidParser parser, string source)
    {
        if (source.Length > MaxTemplateLength)
        {
            throw new ExpressionException(string.Create(CultureInfo.InvariantCulture,
                $"The Liquid template is {source.Length} characters long; at most {MaxTemplateLength} are allowed."));
        }

        return OnLargeStack(() =>
        {
            if (!parser.TryParse(source, out var template, out var error))
            {
                throw new ExpressionException($"The Liquid template has a syntax error: {error}");
            }

            if (template is not FluidTemplate parsed)
            {
                return template;
            }

            var guard = new LiquidTemplateGuard();
            var statements = parsed.Statements.Select(guard.Visit).ToList();
            if (guard._maxDepth > MaxNesting)
            {
                throw new ExpressionException(string.Create(CultureInfo.InvariantCulture,
                    $"The Liquid template nests {guard._maxDepth} levels deep; at most {MaxNesting} are allowed."));
            }

            return new FluidTemplate(statements);
        });
    }

    public override Statement Visit(Statement statement)
    {
        Enter();
        try
        {
            return base.Visit(statement);
        }
        finally
        {
            _depth--;
        }
    }

    public override Expression Visit(Expression expression)
    {
        Enter();
        try
        {
            return base.Visit(expression);
        }
        finally
        {
            _depth--;
        }
    }

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
    {
        var visited = base.VisitRangeExpression(rangeExpression);
        return visited is RangeExpression range ? new GuardedRange(range) : visited;
    }

    private void Enter()
    {
        _depth++;
        _maxDepth = Math.Max(_maxDepth, _depth);
    }

    private static T OnLargeStack<T>(Func<T> work)
    {
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            ParserStackBytes)
        {
            IsBackground = true,
            Name = "liquid-parser",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private sealed class GuardedRange(RangeExpression range) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var start = (await range.From.EvaluateAsync(context)).ToNumberValue();
            var end = (await range.To.EvaluateAsync(context)).ToNumberValue();
            if (end - start >= MaxRangeLength)
            {
                throw new ExpressionException(string.Create(CultureInfo.InvariantCulture,
                    $"The Liquid range ({start}..{end}) is longer than {MaxRangeLength} items."));
            }

            return await range.EvaluateAsync(context);
        }
    }
}
