using Microsoft.Extensions.Options;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

/// <summary>
/// Elsa's JavaScript common types (Elsa.Expressions.JavaScript registers DateTime, DateTimeOffset, TimeSpan, Guid and
/// Random as .NET types for scripts; <c>Features/JavaScriptFeature.cs</c>, <c>Options/JintOptions.cs</c>), here as
/// JavaScript with the same member names, on the evaluator's clock.
/// </summary>
public sealed class JavaScriptCommonTypesTests
{
    private static readonly DateTimeOffset Clock = new(2026, 1, 31, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("DateTime.UtcNow.AddDays(1) > DateTime.UtcNow", true)]
    [InlineData("DateTimeOffset.UtcNow.AddHours(-1) < DateTimeOffset.Now", true)]
    [InlineData("DateTime.UtcNow.AddMonths(1).Day", 28L)]
    [InlineData("DateTime.UtcNow.AddMonths(1).Month", 2L)]
    [InlineData("DateTime.UtcNow.Subtract(new DateTime(2026, 1, 30)).TotalHours", 33.5)]
    [InlineData("TimeSpan.FromHours(2).TotalMinutes", 120L)]
    [InlineData("TimeSpan.Parse('1.02:03:04').ToString()", "1.02:03:04")]
    [InlineData("TimeSpan.FromMinutes(90) > TimeSpan.FromHours(1)", true)]
    [InlineData("DateTime.UtcNow.ToString('yyyy-MM-dd HH:mm')", "2026-01-31 09:30")]
    [InlineData("Guid.Parse('{0F8FAD5B-D9CB-469F-A165-70867728950E}').ToString('N')", "0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("Guid.NewGuid().ToString().length", 36L)]
    [InlineData("new Random(7).Next(1000) === new Random(7).Next(1000)", true)]
    [InlineData("(() => { const n = new Random().Next(5, 10); return n >= 5 && n < 10; })()", true)]
    public async Task CommonTypes_BehaveAsTheirDotNetNamesake(string script, object expected)
    {
        var evaluator = new JavaScriptEvaluator(Options.Create(new JavaScriptOptions()), new FixedClock(Clock));

        var result = await evaluator.EvaluateAsync(script, new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal(expected, result);
    }

    [Fact]
    public async Task ADateTimeResult_ComesOutAsADate()
    {
        var evaluator = new JavaScriptEvaluator(Options.Create(new JavaScriptOptions()), new FixedClock(Clock));

        var result = await evaluator.EvaluateAsync("DateTime.UtcNow.AddDays(1)", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal(Clock.AddDays(1), Assert.IsType<DateTimeOffset>(result));
    }

    [Fact]
    public async Task AScriptThatNamesNone_DoesNotSeeThem()
    {
        var result = await new JavaScriptEvaluator(Options.Create(new JavaScriptOptions())).EvaluateAsync("typeof TimeSpn", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal("undefined", result);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
