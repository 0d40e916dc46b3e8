using Acornima.Ast;
using Jint;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

/// <summary>Which scripts may run on a pooled engine, and which globals they can name.</summary>
public sealed class ScriptTraitsTests
{
    [Theory]
    [InlineData("getInput('metadata').grade == '重大'", true, false)]
    [InlineData("getCount() + 2", true, false)]
    [InlineData("variables.Total = getCount() * 2", true, false)]
    [InlineData("const m = getInput('metadata'); return m != null && m.grade == '重大';", true, true)]
    [InlineData("const r = {}; r.total = 1; r['label'] = 'x'; r", true, true)]
    [InlineData("[1, 2].map(n => n * 2).filter(n => n > 2)", true, false)]
    [InlineData("DateTime.UtcNow.AddDays(1)", true, false)]
    [InlineData("Promise.resolve(7)", true, true)]
    [InlineData("undeclared = 5", true, true)]
    [InlineData("const m = getInput('metadata'); m.grade = '一般'", false, true)]
    [InlineData("variables.Order.status = 'x'", false, false)]
    [InlineData("const r = {}; r.inner = Math; r.inner.x = 1", false, true)]
    [InlineData("let r = {}; r = Math; r.x = 1", false, true)]
    [InlineData("const items = [1, 2]; let sum = 0; for (let i = 0; i < items.length; i++) { sum += items[i]; } sum", false, true)]
    [InlineData("eval('1')", false, false)]
    [InlineData("new Function('return 1')()", false, false)]
    [InlineData("this.x = 1", false, false)]
    [InlineData("globalThis.x = 1", false, false)]
    [InlineData("RegExp.$1", false, false)]
    [InlineData("Symbol.for('x')", false, false)]
    [InlineData("delete Math.max", false, false)]
    [InlineData("[].push.call(Math, 1)", false, false)]
    [InlineData("const o = { '__proto__': Math }; o.x = 1", false, true)]
    public void Of_ClassifiesScript_WhenParsed(string script, bool reusable, bool touchesGlobals)
    {
        var traits = ScriptTraits.Of(Parse(script));

        Assert.Equal(reusable, traits.Reusable);
        if (reusable)
        {
            Assert.Equal(touchesGlobals, traits.TouchesGlobals);
        }
    }

    [Fact]
    public void Of_ListsNamedGlobals_WhenParsed()
    {
        var traits = ScriptTraits.Of(Parse("getCount() + getInput('metadata')['grade'].length"));

        Assert.Contains("getCount", traits.Names);
        Assert.Contains("getInput", traits.Names);
        Assert.Contains("grade", traits.Names);
        Assert.DoesNotContain("variables", traits.Names);
    }

    private static Script Parse(string script) => Engine.PrepareScript(script, "script", strict: true,
        new ScriptPreparationOptions { ParsingOptions = new ScriptParsingOptions { AllowReturnOutsideFunction = true } }).Program!;
}
