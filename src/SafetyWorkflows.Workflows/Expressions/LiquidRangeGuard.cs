using System.Globalization;
using Fluid;
using Fluid.Ast;
using Fluid.Parser;
using Fluid.Values;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Caps Liquid ranges. Fluid builds a range such as <c>(1..100000000)</c> as a full array before the first loop step,
/// so its step limit cannot stop it: that one template would take seconds and gigabytes. Every range in a parsed
/// template is replaced by one that checks its length first.
/// </summary>
internal sealed class LiquidRangeGuard : AstRewriter
{
    public const int MaxRangeLength = 100_000;

    public static IFluidTemplate Apply(IFluidTemplate template)
    {
        if (template is not FluidTemplate parsed)
        {
            return template;
        }

        var guard = new LiquidRangeGuard();
        return new FluidTemplate(parsed.Statements.Select(guard.Visit).ToList());
    }

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
    {
        var visited = base.VisitRangeExpression(rangeExpression);
        return visited is RangeExpression range ? new GuardedRange(range) : visited;
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
