using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

/// <summary>Pooled engines: reused between evaluations, yet nothing of one evaluation reaches the next.</summary>
public sealed class JavaScriptEnginePoolTests
{
    private static readonly System.Text.Json.JsonDocumentOptions DeepJson = new() { MaxDepth = 256 };

    [Fact]
    public async Task EvaluateAsync_ReusesPooledEngine_WhenScriptIsReusable()
    {
        var evaluator = CreateEvaluator();

        for (var i = 0; i < 5; i++)
        {
            await evaluator.EvaluateAsync("getInput('metadata').grade == '重大'", WithMetadata("重大"), CancellationToken.None);
        }

        Assert.Equal(1, evaluator.PooledEngineCount);
    }

    [Fact]
    public async Task EvaluateAsync_DiscardsEngine_WhenScriptCouldChangeSharedObjects()
    {
        var evaluator = CreateEvaluator();

        await evaluator.EvaluateAsync("Object.prototype.polluted = true; 1", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal(0, evaluator.PooledEngineCount);
    }

    [Fact]
    public async Task EvaluateAsync_HidesPreviousScriptsBindings_WhenEngineIsReused()
    {
        var evaluator = CreateEvaluator();
        var first = new FakeExpressionContext().WithVariable("Secret", "机密");

        await evaluator.EvaluateAsync(
            "var leakedVar = getSecret(); let leakedLet = variables.Secret; function leakedFunction() { return 1; } setVariable('Copy', leakedLet); 1",
            first, CancellationToken.None);
        var result = await evaluator.EvaluateAsync(
            "[typeof leakedVar, typeof leakedLet, typeof leakedFunction, typeof getSecret, typeof variables.Secret, getVariable('Secret')]",
            new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal("机密", first.Variables["Copy"]);
        Assert.Equal("""["undefined","undefined","undefined","undefined","undefined",null]""", Assert.IsType<JsonArray>(result).ToJsonString());
        Assert.Equal(1, evaluator.PooledEngineCount);
    }

    [Fact]
    public async Task EvaluateAsync_RunsSameTopLevelDeclarationsAgain_WhenEngineIsReused()
    {
        var evaluator = CreateEvaluator();
        const string script = "const total = getTotal(); let doubled = total * 2; doubled";

        var one = await evaluator.EvaluateAsync(script, new FakeExpressionContext().WithVariable("Total", 2), CancellationToken.None);
        var two = await evaluator.EvaluateAsync(script, new FakeExpressionContext().WithVariable("Total", 5), CancellationToken.None);

        Assert.Equal(4L, one);
        Assert.Equal(10L, two);
    }

    [Fact]
    public async Task EvaluateAsync_RestoresHelpers_WhenScriptOverwritesOne()
    {
        var evaluator = CreateEvaluator();

        await evaluator.EvaluateAsync("getInput = () => ({ grade: '一般' }); 1", WithMetadata("重大"), CancellationToken.None);
        var result = await evaluator.EvaluateAsync("getInput('metadata').grade", WithMetadata("重大"), CancellationToken.None);

        Assert.Equal("重大", result);
    }

    [Theory]
    [InlineData("Object.prototype.polluted = true")]
    [InlineData("Object.assign(Object.prototype, { polluted: true })")]
    [InlineData("({}).__proto__.polluted = true")]
    [InlineData("Array['proto' + 'type'].polluted = true")]
    [InlineData("const p = Object.getPrototypeOf({}); p.polluted = true")]
    [InlineData("Object.defineProperty(Object.prototype, 'polluted', { value: true })")]
    [InlineData("Reflect.set(Object.prototype, 'polluted', true)")]
    [InlineData("[].constructor.constructor('Object.prototype.polluted = true')()")]
    [InlineData("const key = 'prototype'; Object[key].polluted = true")]
    [InlineData("const o = {}; const k = '__proto__'; o[k].polluted = true")]
    [InlineData("Math.polluted = true; Object.prototype.polluted = true")]
    [InlineData("getInput.polluted = true; Object.prototype.polluted = true")]
    public async Task EvaluateAsync_KeepsBuiltInsClean_WhenEarlierScriptPollutesThem(string attack)
    {
        var evaluator = CreateEvaluator();
        await evaluator.EvaluateAsync("1", new FakeExpressionContext(), CancellationToken.None);

        await Record.ExceptionAsync(async () => await evaluator.EvaluateAsync(attack + "; 1", new FakeExpressionContext(), CancellationToken.None));
        var result = await evaluator.EvaluateAsync("[typeof ({}).polluted, typeof [].polluted, typeof Math.polluted]", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal("""["undefined","undefined","undefined"]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task EvaluateAsync_AppliesMemoryLimitPerEvaluation_WhenEngineIsReused()
    {
        var evaluator = CreateEvaluator(new JavaScriptOptions { MemoryLimitBytes = 4 * 1024 * 1024 });

        // About 1 MB each: far more than the limit in total, well within it per evaluation.
        for (var i = 0; i < 20; i++)
        {
            var length = await evaluator.EvaluateAsync("const parts = []; for (let i = 0; i < 1000; i++) { parts.push('x'.repeat(500) + i); } parts.length",
                new FakeExpressionContext(), CancellationToken.None);
            Assert.Equal(1000L, length);
        }

        var ex = await Assert.ThrowsAsync<ExpressionException>(async () => await evaluator.EvaluateAsync(
            "const parts = []; while (true) { parts.push('x'.repeat(1000) + parts.length); }", new FakeExpressionContext(), CancellationToken.None));
        var after = await evaluator.EvaluateAsync("'x'.repeat(10).length", new FakeExpressionContext(), CancellationToken.None);
        Assert.Contains("memory limit", ex.Message);
        Assert.Equal(10L, after);
        Assert.Equal(1, evaluator.PooledEngineCount);
    }

    [Fact]
    public async Task EvaluateAsync_KeepsLimitsAndAnswers_AfterRunawayAndCancelledScripts()
    {
        // The time limit is far above the cancellation's 50 ms, so on a loaded machine the cancel still comes first.
        var evaluator = CreateEvaluator(new JavaScriptOptions { TimeLimit = TimeSpan.FromSeconds(2), MaxStatements = int.MaxValue });
        await evaluator.EvaluateAsync("1", new FakeExpressionContext(), CancellationToken.None);

        // The runaways allocate nothing, so the time limit (not the memory limit, which a counting loop can reach first
        // on a fast run) is what stops them.
        var timeout = await Assert.ThrowsAsync<ExpressionException>(async () =>
            await evaluator.EvaluateAsync("while (true) { }", new FakeExpressionContext(), CancellationToken.None));
        // Cancelled from a thread of its own: a CancellationTokenSource timer fires on the thread pool, which a loaded test
        // run can keep busy for longer than the time limit.
        using var cancellation = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            cancellation.Cancel();
        }) { IsBackground = true };
        canceller.Start();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await evaluator.EvaluateAsync("while (true) { }", new FakeExpressionContext(), cancellation.Token));
        canceller.Join();
        var after = await evaluator.EvaluateAsync("let n = 0; for (let i = 0; i < 1000; i++) { n++; } n", new FakeExpressionContext(), CancellationToken.None);
        var again = await Assert.ThrowsAsync<ExpressionException>(async () =>
            await evaluator.EvaluateAsync("while (true) { }", new FakeExpressionContext(), CancellationToken.None));

        Assert.Contains("time limit", timeout.Message);
        Assert.Equal(1000L, after);
        Assert.Contains("time limit", again.Message);
    }

    [Fact]
    public async Task EvaluateAsync_GivesEachCallerItsOwnResult_WhenEvaluationsRunInParallel()
    {
        var evaluator = CreateEvaluator();
        string[] scripts =
        [
            "getInput('metadata').grade + '/' + getN()",
            "const m = getInput('metadata'); setVariable('Seen', m.grade + '/' + variables.N); return m.grade + '/' + getVariable('N');",
            "const r = {}; r.value = getInput('metadata').grade + '/' + getN(); r.value",
            "const m = getInput('metadata'); m.touched = true; m.grade + '/' + getN()",
        ];

        var failures = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var wrong = new List<string>();
            for (var i = 0; i < 150; i++)
            {
                var n = worker * 1000 + i;
                var grade = n % 2 == 0 ? "重大" : "一般";
                var context = WithMetadata(grade).WithVariable("N", n);
                var script = scripts[n % scripts.Length];
                var result = await evaluator.EvaluateAsync(script, context, CancellationToken.None);
                if (!Equals(result, $"{grade}/{n}"))
                {
                    wrong.Add($"{script} with N={n}: {result}");
                }

                if (script.Contains("setVariable", StringComparison.Ordinal) && !Equals(context.Variables["Seen"], $"{grade}/{n}"))
                {
                    wrong.Add($"Seen with N={n}: {context.Variables["Seen"]}");
                }
            }

            return wrong;
        })));

        Assert.Empty(failures.SelectMany(f => f));
    }

    [Fact]
    public async Task GetInput_GivesJsonInputAsParsedJson_WhenInputIsJsonNode()
    {
        var deepText = string.Concat(Enumerable.Repeat("[", 80)) + "1" + string.Concat(Enumerable.Repeat("]", 80));
        var deep = JsonNode.Parse(deepText, documentOptions: DeepJson)!;
        var metadata = new JsonObject
        {
            ["grade"] = "重大",
            ["count"] = JsonValue.Create(5L),
            ["ratio"] = JsonValue.Create(1.5m),
            ["parsed"] = JsonNode.Parse("""{"n": 12345678901, "f": -0.25, "e": 1e3, "list": [1, null, "二", true, {"k": false}], "__proto__": {"x": 1}}"""),
            ["missing"] = null,
            ["deep"] = deep,
        };
        var context = new FakeExpressionContext();
        context.Inputs["metadata"] = metadata;

        var json = await CreateEvaluator().EvaluateAsync("JSON.stringify(getInput('metadata'))", context, CancellationToken.None);
        var ownProto = await CreateEvaluator().EvaluateAsync(
            "const p = getInput('metadata').parsed; [Object.getPrototypeOf(p) === Object.prototype, p.__proto__.x, typeof p.list[4].k]",
            context, CancellationToken.None);

        // JSON.parse makes "__proto__" an own property, not the prototype; the direct conversion must do the same.
        Assert.True(JsonNode.DeepEquals(metadata, JsonNode.Parse(Assert.IsType<string>(json), documentOptions: DeepJson)), $"round trip changed the value: {json}");
        Assert.Equal("""[true,1,"boolean"]""", Assert.IsType<JsonArray>(ownProto).ToJsonString());
    }

    private static JavaScriptEvaluator CreateEvaluator(JavaScriptOptions? options = null) => new(Microsoft.Extensions.Options.Options.Create(options ?? new JavaScriptOptions()));

    private static FakeExpressionContext WithMetadata(string grade)
    {
        var context = new FakeExpressionContext();
        context.Inputs["metadata"] = new JsonObject { ["grade"] = grade, ["inspectedUnit"] = "城关镇" };
        return context;
    }
}
