using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

public sealed class LiquidEvaluatorTests
{
    private static readonly DateTimeOffset Noon = new(2024, 3, 1, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task EvaluateAsync_RendersVariable_WhenTemplateNamesIt()
    {
        var context = new FakeExpressionContext().WithVariable("Approver", "王强");

        var result = await RenderAsync("审批人：{{ Variables.Approver }}", context);

        Assert.Equal("审批人：王强", result);
    }

    [Fact]
    public async Task EvaluateAsync_RendersChineseAndMarkupUnescaped_WhenValuesContainThem()
    {
        var context = new FakeExpressionContext().WithVariable("Title", "<隐患> \"整改\" & 'A'");

        var result = await RenderAsync("<b>{{ Variables.Title }}</b>", context);

        Assert.Equal("<b><隐患> \"整改\" & 'A'</b>", result);
    }

    [Fact]
    public async Task EvaluateAsync_NavigatesJson_WhenVariableIsJsonNode()
    {
        var context = new FakeExpressionContext()
            .WithVariable("Order", JsonNode.Parse("""{"Lines":[{"Qty":3,"Item":"灭火器"},{"Qty":4,"Item":"安全帽"}],"Unit":{"Name":"青山村"}}"""));

        var result = await RenderAsync("{{ Variables.Order.Lines[0].Qty }} {{ Variables.Order.Unit.Name }} {{ Variables.Order.Lines.size }}", context);

        Assert.Equal("3 青山村 2", result);
    }

    [Fact]
    public async Task EvaluateAsync_LoopsOverJsonArray_WhenTemplateUsesFor()
    {
        var context = new FakeExpressionContext()
            .WithVariable("Order", JsonNode.Parse("""{"Lines":[{"Qty":3,"Item":"灭火器"},{"Qty":4.5,"Item":"安全帽"}]}"""));

        var result = await RenderAsync("{% for line in Variables.Order.Lines %}{{ line.Item }}×{{ line.Qty }};{% endfor %}", context);

        Assert.Equal("灭火器×3;安全帽×4.5;", result);
    }

    [Fact]
    public async Task EvaluateAsync_ComparesJsonValues_WhenTemplateUsesIf()
    {
        var context = new FakeExpressionContext().WithVariable("Review", JsonNode.Parse("""{"Score":90,"Passed":true}"""));

        var result = await RenderAsync("{% if Variables.Review.Passed and Variables.Review.Score > 80 %}通过{% else %}退回{% endif %}", context);

        Assert.Equal("通过", result);
    }

    [Fact]
    public async Task EvaluateAsync_NavigatesDictionariesAndLists_WhenVariablesHoldThem()
    {
        var context = new FakeExpressionContext()
            .WithVariable("Unit", new Dictionary<string, object?> { ["Name"] = "柳塘村", ["Heads"] = new List<string> { "杨山", "马丽" } });

        var result = await RenderAsync("{{ Variables.Unit.Name }}: {{ Variables.Unit.Heads | join: '、' }}", context);

        Assert.Equal("柳塘村: 杨山、马丽", result);
    }

    [Fact]
    public async Task EvaluateAsync_ReadsRecordProperties_WhenVariableIsPlainObject()
    {
        var context = new FakeExpressionContext().WithVariable("Plan", new PlanSummary("应急预案", 2));

        var result = await RenderAsync("{{ Variables.Plan.Title }} v{{ Variables.Plan.Version }}", context);

        Assert.Equal("应急预案 v2", result);
    }

    [Fact]
    public async Task EvaluateAsync_FormatsDate_WhenVariableIsDateTimeOffset()
    {
        var context = new FakeExpressionContext().WithVariable("Due", Noon);

        var result = await RenderAsync("{{ Variables.Due | date: '%Y-%m-%d %H:%M' }}", context);

        Assert.Equal("2024-03-01 12:30", result);
    }

    [Fact]
    public async Task EvaluateAsync_RendersEmpty_WhenVariableIsUnknown()
    {
        var result = await RenderAsync("[{{ Variables.Missing }}][{{ Variables.Missing.Deeper }}]", new FakeExpressionContext());

        Assert.Equal("[][]", result);
    }

    [Fact]
    public async Task EvaluateAsync_PrefersActivityInput_WhenBothInputsHaveTheName()
    {
        var context = new FakeExpressionContext();
        context.ActivityInputValues["Subject"] = "活动输入";
        context.Inputs["Subject"] = "流程输入";

        var result = await RenderAsync("{{ Input.Subject }}", context);

        Assert.Equal("活动输入", result);
    }

    [Fact]
    public async Task EvaluateAsync_FallsBackToWorkflowInput_WhenActivityHasNoSuchInput()
    {
        var context = new FakeExpressionContext();
        context.Inputs["DocumentId"] = "doc-9";

        var result = await RenderAsync("{{ Input.DocumentId }}/{{ Input.documentId }}", context);

        Assert.Equal("doc-9/doc-9", result);
    }

    [Fact]
    public async Task EvaluateAsync_RendersIdentity_WhenTemplateNamesWorkflowMembers()
    {
        const string template = "{{ WorkflowDefinitionId }}|{{ WorkflowDefinitionVersionId }}|{{ WorkflowDefinitionVersion }}|{{ WorkflowInstanceId }}|{{ CorrelationId }}";

        var result = await RenderAsync(template, new FakeExpressionContext());

        Assert.Equal("approval-chain|approval-chain-v3|3|instance-42|doc-7", result);
    }

    [Fact]
    public async Task EvaluateAsync_RendersVariableByIndex_WhenNameIsNoIdentifier()
    {
        var context = new FakeExpressionContext().WithVariable("due-date", "明天");

        var result = await RenderAsync("{{ Variables['due-date'] }}", context);

        Assert.Equal("明天", result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task EvaluateAsync_ReturnsNull_WhenTemplateIsBlank(string template)
    {
        var result = await RenderAsync(template, new FakeExpressionContext());

        Assert.Null(result);
    }

    [Fact]
    public async Task EvaluateAsync_ReadsInjectedClock_WhenTemplateAsksForNow()
    {
        var evaluator = new LiquidEvaluator(new FixedClock(Noon));

        var result = await evaluator.EvaluateAsync("{{ 'now' | date: '%Y-%m-%d' }}", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal("2024-03-01", result);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsExpressionException_WhenTemplateHasSyntaxError()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RenderAsync("{% if Variables.A %}open", new FakeExpressionContext()));

        Assert.Contains("syntax error", ex.Message);
    }

    [Theory]
    [InlineData("{% for i in (1..100000000) %}x{% endfor %}")]
    [InlineData("{% if true %}{{ (1..100000000) | size }}{% endif %}")]
    [InlineData("{% assign n = 100000000 %}{% for i in (1..n) limit: 1 %}{% endfor %}")]
    public async Task EvaluateAsync_ThrowsNamingRange_WhenRangeIsHuge(string template)
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RenderAsync(template, new FakeExpressionContext()));

        Assert.Contains("range", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_RendersRange_WhenRangeIsSmall()
    {
        var result = await RenderAsync("{% for i in (1..3) %}{{ i }}{% endfor %}", new FakeExpressionContext());

        Assert.Equal("123", result);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsExpressionException_WhenLoopsExceedStepLimit()
    {
        const string template = "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..10) %}x{% endfor %}{% endfor %}{% endfor %}";

        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RenderAsync(template, new FakeExpressionContext()));

        Assert.Contains("Liquid", ex.Message);
    }

    [Theory]
    [InlineData(" or a", 10_000)]
    [InlineData(" | upcase", 10_000)]
    public async Task CheckSyntaxAndEvaluateAsync_RefuseTemplate_WhenItNestsTooDeep(string link, int count)
    {
        var evaluator = new LiquidEvaluator();
        var template = link.StartsWith(" or", StringComparison.Ordinal)
            ? "{% if a" + string.Concat(Enumerable.Repeat(link, count)) + " %}x{% endif %}"
            : "{{ 'x'" + string.Concat(Enumerable.Repeat(link, count)) + " }}";

        var error = evaluator.CheckSyntax(template);
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => evaluator.EvaluateAsync(template, new FakeExpressionContext(), CancellationToken.None).AsTask());

        Assert.Contains("nests", error);
        Assert.Contains("nests", ex.Message);
    }

    [Fact]
    public void CheckSyntax_RefusesTemplate_WhenItIsTooLong()
    {
        var evaluator = new LiquidEvaluator();

        var error = evaluator.CheckSyntax(new string('x', 100_001));

        Assert.Contains("at most 100000", error);
    }

    [Fact]
    public void CheckSyntax_ReturnsNull_WhenTemplateParses()
    {
        var evaluator = new LiquidEvaluator();

        var error = evaluator.CheckSyntax("{% if Variables.A %}{{ Variables.A | upcase }}{% endif %}");

        Assert.Null(error);
    }

    [Fact]
    public void CheckSyntax_ReturnsMessage_WhenTemplateDoesNotParse()
    {
        var evaluator = new LiquidEvaluator();

        var error = evaluator.CheckSyntax("{{ Variables.A ");

        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Type_IsLiquid_Always()
    {
        var evaluator = new LiquidEvaluator();

        Assert.Equal("Liquid", evaluator.Type);
    }

    private static async Task<object?> RenderAsync(string template, FakeExpressionContext context) =>
        await new LiquidEvaluator().EvaluateAsync(template, context, CancellationToken.None);

    private sealed record PlanSummary(string Title, int Version);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
