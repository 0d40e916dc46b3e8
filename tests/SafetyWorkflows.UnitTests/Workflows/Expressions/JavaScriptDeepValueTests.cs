using Microsoft.Extensions.Options;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

public sealed class JavaScriptDeepValueTests
{
    [Theory]
    [InlineData("let d = []; for (let i = 0; i < 25000; i++) { d = [d]; } return String(d).length;")]
    [InlineData("let d = {}; for (let i = 0; i < 25000; i++) { d = { d: d }; } try { return JSON.stringify(d).length; } catch (e) { return -1; }")]
    public async Task EvaluateAsync_FinishesWithoutCrashingTheProcess_WhenValuesNestDeeply(string script)
    {
        var evaluator = new JavaScriptEvaluator(Options.Create(new JavaScriptOptions { TimeLimit = TimeSpan.FromSeconds(30) }));

        var outcome = await Record.ExceptionAsync(async () => await evaluator.EvaluateAsync(script, new FakeExpressionContext(), CancellationToken.None));

        Assert.True(outcome is null or ExpressionException, $"unexpected {outcome?.GetType().Name}: {outcome?.Message}");
    }
}
