using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

public sealed class JavaScriptEvaluatorTests
{
    private static readonly DateTimeOffset Noon = new(2024, 3, 1, 12, 30, 15, 250, TimeSpan.Zero);

    private static readonly System.Text.Json.JsonSerializerOptions UnescapedJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };


    [Fact]
    public async Task EvaluateAsync_ReturnsLastExpressionValue_WhenScriptHasNoReturn()
    {
        const string script = "let x = 5;\nx * 2";

        var result = await RunAsync(script);

        Assert.Equal(10L, result);
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsReturnedValue_WhenScriptReturnsAtTopLevel()
    {
        const string script = "const level = 3;\nif (level > 2) {\n  return 'escalate';\n}\nreturn 'keep';";

        var result = await RunAsync(script);

        Assert.Equal("escalate", result);
    }

    [Theory]
    [InlineData("Promise.resolve(7)")]
    [InlineData("(async () => 7)()")]
    [InlineData("return new Promise(resolve => resolve(7));")]
    public async Task EvaluateAsync_UnwrapsPromise_WhenScriptYieldsPromise(string script)
    {
        var result = await RunAsync(script);

        Assert.Equal(7L, result);
    }

    [Fact]
    public async Task EvaluateAsync_Throws_WhenReturnedPromiseIsRejected()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("Promise.reject(new RangeError('no approver'))"));

        Assert.Contains("RangeError: no approver", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_Throws_WhenReturnedPromiseNeverSettles()
    {
        var options = new JavaScriptOptions { TimeLimit = TimeSpan.FromMilliseconds(200) };

        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("new Promise(() => { })", options: options));

        Assert.Contains("time limit", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("undefined")]
    [InlineData("null")]
    [InlineData("let unused = 1;")]
    public async Task EvaluateAsync_ReturnsNull_WhenScriptYieldsNothing(string script)
    {
        var result = await RunAsync(script);

        Assert.Null(result);
    }


    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("2 ** 53", 9007199254740992L)]
    [InlineData("3.0", 3L)]
    public async Task EvaluateAsync_ReturnsLong_WhenNumberIsIntegral(string script, long expected)
    {
        var result = await RunAsync(script);

        Assert.Equal(expected, Assert.IsType<long>(result));
    }

    [Theory]
    [InlineData("2.5", 2.5)]
    [InlineData("1e300", 1e300)]
    [InlineData("2 ** 64", 18446744073709551616.0)]
    public async Task EvaluateAsync_ReturnsDouble_WhenNumberIsFractionalOrBeyondLong(string script, double expected)
    {
        var result = await RunAsync(script);

        Assert.Equal(expected, Assert.IsType<double>(result));
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsNaNDouble_WhenResultIsNaN()
    {
        var result = await RunAsync("0 / 0");

        Assert.True(double.IsNaN(Assert.IsType<double>(result)));
    }

    [Theory]
    [InlineData("'整改完成'", "整改完成")]
    [InlineData("`a${1 + 1}b`", "a2b")]
    public async Task EvaluateAsync_ReturnsString_WhenResultIsString(string script, string expected)
    {
        var result = await RunAsync(script);

        Assert.Equal(expected, result);
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsBool_WhenResultIsBoolean()
    {
        var result = await RunAsync("1 < 2");

        Assert.True(Assert.IsType<bool>(result));
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsUtcDateTimeOffset_WhenResultIsDate()
    {
        var result = await RunAsync("new Date(Date.UTC(2024, 2, 1, 12, 30, 15, 250))");

        var instant = Assert.IsType<DateTimeOffset>(result);
        Assert.Equal(Noon, instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsNull_WhenResultIsInvalidDate()
    {
        var result = await RunAsync("new Date('not a date')");

        Assert.Null(result);
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsJsonObject_WhenResultIsObject()
    {
        const string script = "({ qty: 3, price: 2.5, name: '灭火器', ok: true, none: null, lines: [1, 'x'], when: new Date(0), f: () => 1, u: undefined })";

        var result = await RunAsync(script);

        var obj = Assert.IsType<JsonObject>(result);
        Assert.Equal(3L, obj["qty"]!.GetValue<long>());
        Assert.Equal(2.5, obj["price"]!.GetValue<double>());
        Assert.Equal("灭火器", obj["name"]!.GetValue<string>());
        Assert.True(obj["ok"]!.GetValue<bool>());
        Assert.True(obj.ContainsKey("none"));
        Assert.Null(obj["none"]);
        Assert.Equal("""[1,"x"]""", obj["lines"]!.ToJsonString());
        Assert.Equal(DateTimeOffset.UnixEpoch, obj["when"]!.GetValue<DateTimeOffset>());
        Assert.False(obj.ContainsKey("f"));
        Assert.False(obj.ContainsKey("u"));
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsJsonArray_WhenResultIsArray()
    {
        var result = await RunAsync("[1, 2.5, 'a', null, { b: [true] }]");

        var array = Assert.IsType<JsonArray>(result);
        Assert.Equal("""[1,2.5,"a",null,{"b":[true]}]""", array.ToJsonString());
        Assert.IsType<long>(array[0]!.GetValue<object>());
    }

    [Fact]
    public async Task EvaluateAsync_ReturnsArrayOfNumbers_WhenResultIsUint8Array()
    {
        var result = await RunAsync("new Uint8Array([1, 2, 255])");

        Assert.Equal("[1,2,255]", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task EvaluateAsync_Throws_WhenResultIsCyclic()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("const a = {}; a.self = a; a"));

        Assert.Contains("cyclic", ex.Message);
    }


    [Theory]
    [InlineData("text", "typeof v === 'string' && v === '安全'")]
    [InlineData("int", "typeof v === 'number' && v === 7")]
    [InlineData("long", "v === 9007199254740991")]
    [InlineData("double", "v === 1.5")]
    [InlineData("decimal", "v === 2.25")]
    [InlineData("bool", "v === true")]
    [InlineData("null", "v === null")]
    [InlineData("guid", "v === '0f8fad5b-d9cb-469f-a165-70867728950e'")]
    [InlineData("enum", "v === 'Friday'")]
    [InlineData("timespan", "v === '01:30:00'")]
    [InlineData("dateonly", "v === '2024-03-01'")]
    [InlineData("list", "Array.isArray(v) && v.length === 3 && v[2] === 3")]
    [InlineData("dictionary", "v.a === 1 && v.b === '二'")]
    [InlineData("bytes", "v instanceof Uint8Array && v.length === 2 && v[1] === 255")]
    [InlineData("record", "v.Title === '应急预案' && v.Version === 2")]
    [InlineData("jsonObject", "v.Lines[0].Qty === 3 && v.Lines.length === 2 && v.Customer.Name === '青山村'")]
    [InlineData("jsonArray", "Array.isArray(v) && v[1].id === 'b'")]
    [InlineData("jsonValue", "v === 12")]
    [InlineData("jsonElement", "v.ok === true")]
    public async Task EvaluateAsync_ConvertsVariableToPlainJavaScript_WhenVariableHasDotNetType(string name, string check)
    {
        var context = new FakeExpressionContext()
            .WithVariable("text", "安全")
            .WithVariable("int", 7)
            .WithVariable("long", 9007199254740991L)
            .WithVariable("double", 1.5)
            .WithVariable("decimal", 2.25m)
            .WithVariable("bool", true)
            .WithVariable("null", null)
            .WithVariable("guid", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"))
            .WithVariable("enum", DayOfWeek.Friday)
            .WithVariable("timespan", TimeSpan.FromMinutes(90))
            .WithVariable("dateonly", new DateOnly(2024, 3, 1))
            .WithVariable("list", new List<int> { 1, 2, 3 })
            .WithVariable("dictionary", new Dictionary<string, object?> { ["a"] = 1, ["b"] = "二" })
            .WithVariable("bytes", new byte[] { 1, 255 })
            .WithVariable("record", new PlanSummary("应急预案", 2))
            .WithVariable("jsonObject", JsonNode.Parse("""{"Lines":[{"Qty":3},{"Qty":4}],"Customer":{"Name":"青山村"}}"""))
            .WithVariable("jsonArray", JsonNode.Parse("""[{"id":"a"},{"id":"b"}]"""))
            .WithVariable("jsonValue", JsonValue.Create(12))
            .WithVariable("jsonElement", System.Text.Json.JsonDocument.Parse("""{"ok":true}""").RootElement);

        var result = await RunAsync($"const v = getVariable('{name}');\n{check}", context);

        Assert.True(Assert.IsType<bool>(result));
    }

    [Fact]
    public async Task EvaluateAsync_PassesDateTimeOffsetAsDate_WhenVariableIsDateTimeOffset()
    {
        var context = new FakeExpressionContext().WithVariable("Due", Noon.ToOffset(TimeSpan.FromHours(8)));

        var result = await RunAsync("const d = getVariable('Due');\n[d instanceof Date, d.toISOString()]", context);

        Assert.Equal("""[true,"2024-03-01T12:30:15.250Z"]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task EvaluateAsync_TreatsUnspecifiedDateTimeAsUtc_WhenVariableIsDateTime()
    {
        var context = new FakeExpressionContext().WithVariable("Due", new DateTime(2024, 3, 1, 12, 30, 15, 250, DateTimeKind.Unspecified));

        var result = await RunAsync("getVariable('Due').toISOString()", context);

        Assert.Equal("2024-03-01T12:30:15.250Z", result);
    }

    [Fact]
    public async Task EvaluateAsync_RoundTripsDate_WhenScriptReturnsVariableDate()
    {
        var context = new FakeExpressionContext().WithVariable("Due", Noon);

        var result = await RunAsync("const d = getVariable('Due'); d.setUTCDate(d.getUTCDate() + 1); d", context);

        Assert.Equal(Noon.AddDays(1), result);
    }


    [Fact]
    public async Task GetVariable_ReturnsNull_WhenVariableIsUnknown()
    {
        var result = await RunAsync("getVariable('Nope')");

        Assert.Null(result);
    }

    [Fact]
    public async Task SetVariable_WritesConvertedValueToContext_WhenCalled()
    {
        var context = new FakeExpressionContext();

        await RunAsync("setVariable('Approver', '王强'); setVariable('Count', 2); setVariable('Order', { lines: [{ qty: 3 }] });", context);

        Assert.Equal("王强", context.Variables["Approver"]);
        Assert.Equal(2L, context.Variables["Count"]);
        Assert.Equal("""{"lines":[{"qty":3}]}""", Assert.IsType<JsonObject>(context.Variables["Order"]).ToJsonString());
    }

    [Fact]
    public async Task SetVariable_IsVisibleToLaterReads_WhenReadInSameScript()
    {
        var context = new FakeExpressionContext().WithVariable("Level", 1);

        var result = await RunAsync("setVariable('Level', 2);\n[getVariable('Level'), variables.Level, getLevel()]", context);

        Assert.Equal("[2,2,2]", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task GetInput_ReturnsWorkflowInput_WhenNameMatchesInAnyCase()
    {
        var context = new FakeExpressionContext();
        context.Inputs["DocumentId"] = "doc-9";

        var result = await RunAsync("[getInput('DocumentId'), getInput('documentid'), getInput('Missing')]", context);

        Assert.Equal("""["doc-9","doc-9",null]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task GetOutputFrom_ReturnsNamedOutput_WhenOutputNameIsGiven()
    {
        var context = ContextWithOutputs();

        var result = await RunAsync("getOutputFrom('Approve1', 'Comment')", context);

        Assert.Equal("同意", result);
    }

    [Fact]
    public async Task GetOutputFrom_ReturnsResultOutput_WhenOutputNameIsOmitted()
    {
        var context = ContextWithOutputs();

        var result = await RunAsync("getOutputFrom('Approve1')", context);

        Assert.Equal("Approved", result);
    }

    [Fact]
    public async Task GetOutputFrom_ReturnsOnlyOutput_WhenActivityHasOneOutputNotNamedResult()
    {
        var context = ContextWithOutputs();

        var result = await RunAsync("getOutputFrom('Tally1')", context);

        Assert.Equal(4L, result);
    }

    [Fact]
    public async Task GetOutputFrom_ReturnsNull_WhenActivityHasNotRun()
    {
        var context = ContextWithOutputs();

        var result = await RunAsync("[getOutputFrom('Nobody'), getOutputFrom('Approve1', 'Missing')]", context);

        Assert.Equal("[null,null]", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task GetLastResult_ReturnsContextLastResult_WhenCalled()
    {
        var context = new FakeExpressionContext { LastResult = JsonNode.Parse("""{"score":90}""") };

        var result = await RunAsync("getLastResult().score", context);

        Assert.Equal(90L, result);
    }

    [Fact]
    public async Task IdentityHelpers_ReturnContextIdentity_WhenCalled()
    {
        var context = new FakeExpressionContext();
        const string script = "[getWorkflowDefinitionId(), getWorkflowDefinitionVersionId(), getWorkflowDefinitionVersion(), getWorkflowInstanceId(), getCorrelationId(), getWorkflowInstanceName()]";

        var result = await RunAsync(script, context);

        Assert.Equal("""["approval-chain","approval-chain-v3",3,"instance-42","doc-7","隐患整改通知 7"]""", Assert.IsType<JsonArray>(result).ToJsonString(UnescapedJson));
    }

    [Fact]
    public async Task SetCorrelationIdAndInstanceName_ChangeContext_WhenCalled()
    {
        var context = new FakeExpressionContext();

        await RunAsync("setCorrelationId('doc-8'); setWorkflowInstanceName('应急预案 8');", context);

        Assert.Equal("doc-8", context.CorrelationId);
        Assert.Equal("应急预案 8", context.WorkflowInstanceName);
    }

    [Fact]
    public async Task SetCorrelationId_ClearsIt_WhenValueIsNull()
    {
        var context = new FakeExpressionContext();

        await RunAsync("setCorrelationId(null)", context);

        Assert.Null(context.CorrelationId);
    }


    [Theory]
    [InlineData("isNullOrWhiteSpace(null)", true)]
    [InlineData("isNullOrWhiteSpace(undefined)", true)]
    [InlineData("isNullOrWhiteSpace('  ')", true)]
    [InlineData("isNullOrWhiteSpace(' a ')", false)]
    [InlineData("isNullOrEmpty(null)", true)]
    [InlineData("isNullOrEmpty('')", true)]
    [InlineData("isNullOrEmpty(' ')", false)]
    public async Task NullOrEmptyHelpers_AnswerLikeDotNet_WhenGivenValue(string script, bool expected)
    {
        var result = await RunAsync(script);

        Assert.Equal(expected, Assert.IsType<bool>(result));
    }

    [Fact]
    public async Task ToJson_SerializesWithoutEscapingChinese_WhenGivenObject()
    {
        var result = await RunAsync("toJson({ unit: '青山村', n: 1 })");

        Assert.Equal("""{"unit":"青山村","n":1}""", result);
    }

    [Fact]
    public async Task ToJson_ReturnsNullText_WhenGivenUndefined()
    {
        var result = await RunAsync("toJson(undefined)");

        Assert.Equal("null", result);
    }

    [Fact]
    public async Task ParseGuid_ReturnsCanonicalString_WhenGuidIsValid()
    {
        var result = await RunAsync("parseGuid('{0F8FAD5B-D9CB-469F-A165-70867728950E}')");

        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", result);
    }

    [Fact]
    public async Task ParseGuid_ThrowsCatchableError_WhenGuidIsInvalid()
    {
        var caught = await RunAsync("try { parseGuid('nope'); 'parsed' } catch (e) { e instanceof Error ? 'caught' : 'odd' }");
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("\nparseGuid('nope')"));

        Assert.Equal("caught", caught);
        Assert.Contains("parseGuid", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [Fact]
    public async Task GuidHelpers_ReturnFreshGuids_WhenCalled()
    {
        var result = await RunAsync("[newGuid(), newGuidString(), newShortGuid()]");

        var values = Assert.IsType<JsonArray>(result).Select(v => v!.GetValue<string>()).ToList();
        Assert.True(Guid.TryParse(values[0], out _));
        Assert.True(Guid.TryParse(values[1], out _));
        Assert.NotEqual(values[0], values[1]);
        Assert.InRange(values[2].Length, 16, 22);
        Assert.DoesNotContain(values[2], c => c is '+' or '/' or '=');
    }

    [Fact]
    public async Task ByteHelpers_RoundTripUtf8_WhenChained()
    {
        const string script = """
            const bytes = bytesFromString('隐患 ok');
            const base64 = bytesToBase64(bytes);
            [bytes instanceof Uint8Array, bytesToString(bytesFromBase64(base64)), base64, bytesToString([104, 105])]
            """;

        var result = await RunAsync(script);

        var expectedBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("隐患 ok"));
        Assert.Equal($$"""[true,"隐患 ok","{{expectedBase64}}","hi"]""", Assert.IsType<JsonArray>(result).ToJsonString(UnescapedJson));
    }

    [Fact]
    public async Task ByteHelpers_ReturnDotNetBytes_WhenVariableHoldsByteArray()
    {
        var context = new FakeExpressionContext().WithVariable("File", Encoding.UTF8.GetBytes("签字"));

        var result = await RunAsync("bytesToString(getVariable('File'))", context);

        Assert.Equal("签字", result);
    }

    [Fact]
    public async Task StringBase64Helpers_RoundTripChinese_WhenChained()
    {
        var result = await RunAsync("[stringToBase64('安全'), stringFromBase64(stringToBase64('安全'))]");

        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("安全"));
        Assert.Equal($$"""["{{expected}}","安全"]""", Assert.IsType<JsonArray>(result).ToJsonString(UnescapedJson));
    }

    [Fact]
    public async Task BytesToString_Throws_WhenGivenNonByteValues()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("bytesToString([1, 300])"));

        Assert.Contains("TypeError", ex.Message);
    }


    [Fact]
    public async Task SetOutcome_SetsSingleOutcome_WhenCalled()
    {
        var context = new FakeExpressionContext();

        await RunAsync("setOutcome('Escalate')", context);

        Assert.Equal("Escalate", Assert.Single(context.Outcomes!));
    }

    [Fact]
    public async Task SetOutcomes_SetsAllOutcomes_WhenGivenArray()
    {
        var context = new FakeExpressionContext();

        await RunAsync("setOutcome('Ignored'); setOutcomes(['Notify', 'Archive'])", context);

        Assert.Equal("Notify,Archive", string.Join(',', context.Outcomes!));
    }

    [Fact]
    public async Task SetOutcomes_Throws_WhenGivenNonArray()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("setOutcomes('Notify')"));

        Assert.Contains("setOutcomes", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_LeavesOutcomesNull_WhenScriptSetsNone()
    {
        var context = new FakeExpressionContext();

        await RunAsync("1", context);

        Assert.Null(context.Outcomes);
    }


    [Fact]
    public async Task GeneratedVariableAccessors_ReadAndWrite_WhenVariableNameIsIdentifier()
    {
        var context = new FakeExpressionContext().WithVariable("orderTotal", 10);

        var result = await RunAsync("setOrderTotal(getOrderTotal() + 5); getOrderTotal()", context);

        Assert.Equal(15L, result);
        Assert.Equal(15L, context.Variables["orderTotal"]);
    }

    [Fact]
    public async Task GeneratedVariableAccessors_AreSkipped_WhenVariableNameIsNoIdentifier()
    {
        var context = new FakeExpressionContext().WithVariable("due-date", "x");

        var result = await RunAsync("[typeof getDueDate, typeof getDue, variables['due-date'], getVariable('due-date')]", context);

        Assert.Equal("""["undefined","undefined","x","x"]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task GeneratedInputAccessors_ReturnWorkflowInput_WhenInputNameIsIdentifier()
    {
        var context = new FakeExpressionContext();
        context.Inputs["DocumentId"] = "doc-9";
        context.Inputs["unitCode"] = "QS";

        var result = await RunAsync("[getDocumentId(), getunitCode(), getUnitCode()]", context);

        Assert.Equal("""["doc-9","QS","QS"]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task GeneratedOutputAccessors_ReturnActivityOutput_WhenNamesAreIdentifiers()
    {
        var context = ContextWithOutputs();

        var result = await RunAsync("[getResultFromApprove1(), getCommentFromApprove1(), getCountFromTally1(), typeof getResultFromApprove2]", context);

        Assert.Equal("""["Approved","同意",4,"undefined"]""", Assert.IsType<JsonArray>(result).ToJsonString(UnescapedJson));
    }

    [Fact]
    public async Task Helpers_WinOverGeneratedAccessors_WhenNamesCollide()
    {
        var context = new FakeExpressionContext().WithVariable("Variable", "shadow").WithVariable("Target", "real");

        var result = await RunAsync("getVariable('Target')", context);

        Assert.Equal("real", result);
    }


    [Fact]
    public async Task Variables_ReadsValueInScope_WhenPropertyIsRead()
    {
        var context = new FakeExpressionContext().WithVariable("Order", JsonNode.Parse("""{"Lines":[{"Qty":3}]}"""));

        var result = await RunAsync("variables.Order.Lines[0].Qty", context);

        Assert.Equal(3L, result);
    }

    [Fact]
    public async Task Variables_WritesAssignmentsBack_WhenScriptCompletes()
    {
        var context = new FakeExpressionContext().WithVariable("Level", 1).WithVariable("Untouched", 5);

        await RunAsync("variables.Level = variables.Level + 1; variables.Note = '已阅';", context);

        Assert.Equal(2L, context.Variables["Level"]);
        Assert.Equal("已阅", context.Variables["Note"]);
        Assert.Equal(5, context.Variables["Untouched"]);
        Assert.Equal("Level,Note", string.Join(',', context.VariableWrites));
    }

    [Fact]
    public async Task Variables_WritesNothing_WhenValuesAreOnlyRead()
    {
        var context = new FakeExpressionContext()
            .WithVariable("Level", 1)
            .WithVariable("Order", JsonNode.Parse("""{"Lines":[{"Qty":3}]}"""));

        await RunAsync("variables.Level + variables.Order.Lines[0].Qty", context);

        Assert.Empty(context.VariableWrites);
        Assert.Equal(1, context.Variables["Level"]);
    }

    [Fact]
    public async Task Variables_WritesChangedObjectBack_WhenScriptMutatesItInPlace()
    {
        var context = new FakeExpressionContext().WithVariable("Order", JsonNode.Parse("""{"Lines":[{"Qty":3}]}"""));

        await RunAsync("variables.Order.Lines[0].Qty = 4; getVariable('Order').Lines.push({ Qty: 1 });", context);

        Assert.Equal("""{"Lines":[{"Qty":4},{"Qty":1}]}""", Assert.IsType<JsonObject>(context.Variables["Order"]).ToJsonString());
    }

    [Fact]
    public async Task Variables_WritesNothing_WhenScriptFails()
    {
        var context = new FakeExpressionContext().WithVariable("Level", 1);

        await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("variables.Level = 2; throw new Error('stop');", context));

        Assert.Equal(1, context.Variables["Level"]);
    }

    [Fact]
    public async Task Variables_ListsVariablesInScope_WhenEnumerated()
    {
        var context = new FakeExpressionContext().WithVariable("A", 1).WithVariable("B", 2);

        var result = await RunAsync("Object.keys(variables).join(',')", context);

        Assert.Equal("A,B", result);
    }


    [Fact]
    public async Task EvaluateAsync_ThrowsWithLine_WhenScriptHasSyntaxError()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("let a = 1;\nlet b = ;"));

        Assert.StartsWith("SyntaxError:", ex.Message);
        Assert.Contains("line 2, column 9", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsWithMessageAndLine_WhenScriptThrows()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("const a = 1;\n\n  throw new TypeError('审批人缺失');"));

        Assert.Contains("TypeError: 审批人缺失", ex.Message);
        Assert.Contains("line 3", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsReferenceError_WhenScriptUsesUnknownName()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("\nunknownThing.length"));

        Assert.Contains("ReferenceError: unknownThing is not defined", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_RunsInStrictMode_WhenScriptAssignsUndeclaredName()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("undeclared = 5"));

        Assert.Contains("ReferenceError", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsThrownText_WhenScriptThrowsNonError()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("throw '退回'"));

        Assert.Contains("退回", ex.Message);
    }

    [Fact]
    public void CheckSyntax_ReturnsNull_WhenScriptParses()
    {
        var evaluator = CreateEvaluator();

        var error = evaluator.CheckSyntax("const a = getVariable('A');\nif (a) { return 1; }\nreturn 2;");

        Assert.Null(error);
    }

    [Fact]
    public void CheckSyntax_ReturnsMessageWithLineAndColumn_WhenScriptDoesNotParse()
    {
        var evaluator = CreateEvaluator();

        var error = evaluator.CheckSyntax("const a = 1;\nconst b = (;");

        Assert.NotNull(error);
        Assert.StartsWith("SyntaxError:", error);
        Assert.Contains("line 2, column 12", error);
    }

    [Fact]
    public async Task CheckSyntaxAndEvaluateAsync_Succeed_WhenScriptNestsDeeply()
    {
        var evaluator = CreateEvaluator();
        var script = new string('(', 20_000) + "1" + new string(')', 20_000);

        var error = evaluator.CheckSyntax(script);
        var value = await evaluator.EvaluateAsync(script, new FakeExpressionContext(), CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(1L, value);
    }

    [Fact]
    public void CheckSyntax_ReportsStrictModeErrors_WhenScriptUsesWith()
    {
        var evaluator = CreateEvaluator();

        var error = evaluator.CheckSyntax("with (Math) { max(1, 2) }");

        Assert.NotNull(error);
        Assert.Contains("line 1", error);
    }


    [Fact]
    public async Task EvaluateAsync_ThrowsNamingTimeLimit_WhenScriptLoopsForever()
    {
        var options = new JavaScriptOptions { TimeLimit = TimeSpan.FromMilliseconds(200) };

        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("while (true) { }", options: options));

        Assert.Contains("time limit", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsNamingRecursionLimit_WhenScriptRecursesTooDeep()
    {
        var options = new JavaScriptOptions { RecursionLimit = 50 };

        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("function down(n) { return down(n + 1); }\ndown(0)", options: options));

        Assert.Contains("recursion limit of 50", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_AllowsRecursion_WhenDepthIsWithinLimit()
    {
        var result = await RunAsync("function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\ndepth(100)");

        Assert.Equal(100L, result);
    }

    [Theory]
    [InlineData("const parts = []; while (true) { parts.push('x'.repeat(1000) + parts.length); }")]
    [InlineData("new Array(1e9).fill(0)")]
    [InlineData("let s = 'x'; while (true) { s = s + s; }")]
    [InlineData("new Uint8Array(1e8).length")]
    public async Task EvaluateAsync_ThrowsNamingMemoryLimit_WhenScriptAllocatesTooMuch(string script)
    {
        var options = new JavaScriptOptions { MemoryLimitBytes = 4 * 1024 * 1024 };

        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync(script, options: options));

        Assert.Contains("memory limit", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsNamingStatementLimit_WhenScriptRunsTooManyStatements()
    {
        var options = new JavaScriptOptions { MaxStatements = 1_000 };

        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("let n = 0; for (let i = 0; i < 100000; i++) { n++; }", options: options));

        Assert.Contains("statement limit", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsOperationCanceled_WhenTokenIsCancelledMidScript()
    {
        // Only the token may stop this script: no time limit and no statement limit a fast machine could reach first.
        var evaluator = CreateEvaluator(new JavaScriptOptions { TimeLimit = TimeSpan.FromMinutes(1), MaxStatements = int.MaxValue });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => evaluator.EvaluateAsync("while (true) { }", new FakeExpressionContext(), cancellation.Token).AsTask());
    }

    [Theory]
    [InlineData("typeof System")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof clrHelper")]
    [InlineData("typeof require")]
    [InlineData("typeof host")]
    public async Task EvaluateAsync_ExposesNoClrGlobals_WhenScriptLooksForThem(string script)
    {
        var result = await RunAsync(script);

        Assert.Equal("undefined", result);
    }

    [Fact]
    public async Task EvaluateAsync_Throws_WhenScriptImportsClrNamespace()
    {
        var ex = await Assert.ThrowsAsync<ExpressionException>(() => RunAsync("importNamespace('System.IO').File.ReadAllText('/etc/passwd')"));

        Assert.Contains("ReferenceError", ex.Message);
    }

    [Fact]
    public async Task EvaluateAsync_HandsOutPlainJavaScriptValues_WhenVariablesHoldDotNetObjects()
    {
        var context = new FakeExpressionContext()
            .WithVariable("Plan", new PlanSummary("应急预案", 2))
            .WithVariable("Due", Noon);
        const string script = "[Object.getPrototypeOf(getVariable('Plan')) === Object.prototype, typeof getVariable('Plan').GetType, Object.getPrototypeOf(getVariable('Due')) === Date.prototype, typeof getVariable('Due').ToString]";

        var result = await RunAsync(script, context);

        Assert.Equal("""[true,"undefined",true,"undefined"]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task EvaluateAsync_IsolatesGlobals_WhenEvaluationsFollowEachOther()
    {
        var evaluator = CreateEvaluator();

        await evaluator.EvaluateAsync("globalThis.leak = 1; Object.prototype.polluted = true;", new FakeExpressionContext(), CancellationToken.None);
        var result = await evaluator.EvaluateAsync("[typeof leak, typeof ({}).polluted]", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal("""["undefined","undefined"]""", Assert.IsType<JsonArray>(result).ToJsonString());
    }

    [Fact]
    public async Task EvaluateAsync_ReadsInjectedClock_WhenScriptAsksForNow()
    {
        var evaluator = new JavaScriptEvaluator(Options.Create(new JavaScriptOptions()), new FixedClock(Noon));

        var result = await evaluator.EvaluateAsync("new Date().toISOString()", new FakeExpressionContext(), CancellationToken.None);

        Assert.Equal("2024-03-01T12:30:15.250Z", result);
    }

    [Fact]
    public async Task EvaluateAsync_GivesSameResult_WhenPreparedScriptIsReused()
    {
        var evaluator = CreateEvaluator();
        var first = new FakeExpressionContext().WithVariable("N", 1);
        var second = new FakeExpressionContext().WithVariable("N", 2);

        var one = await evaluator.EvaluateAsync("getN() * 10", first, CancellationToken.None);
        var two = await evaluator.EvaluateAsync("getN() * 10", second, CancellationToken.None);

        Assert.Equal(10L, one);
        Assert.Equal(20L, two);
    }


    [Fact]
    public void JavaScriptOptions_HaveDocumentedDefaults_WhenCreated()
    {
        var options = new JavaScriptOptions();

        Assert.Equal("Workflows:JavaScript", JavaScriptOptions.SectionName);
        Assert.Equal(TimeSpan.FromSeconds(2), options.TimeLimit);
        Assert.Equal(16L * 1024 * 1024, options.MemoryLimitBytes);
        Assert.Equal(256, options.RecursionLimit);
        Assert.Equal(10_000_000, options.MaxStatements);
    }

    [Fact]
    public void Constructor_Throws_WhenTimeLimitIsZero()
    {
        var options = Options.Create(new JavaScriptOptions { TimeLimit = TimeSpan.Zero });

        Assert.Throws<ArgumentOutOfRangeException>(() => new JavaScriptEvaluator(options));
    }

    [Fact]
    public void Type_IsJavaScript_Always()
    {
        var evaluator = CreateEvaluator();

        Assert.Equal("JavaScript", evaluator.Type);
    }

    private static JavaScriptEvaluator CreateEvaluator(JavaScriptOptions? options = null) =>
        new(Options.Create(options ?? new JavaScriptOptions()));

    private static async Task<object?> RunAsync(string script, FakeExpressionContext? context = null, JavaScriptOptions? options = null) =>
        await CreateEvaluator(options).EvaluateAsync(script, context ?? new FakeExpressionContext(), CancellationToken.None);

    private static FakeExpressionContext ContextWithOutputs()
    {
        var context = new FakeExpressionContext();
        context.Outputs["Approve1"] = new Dictionary<string, object?> { ["Result"] = "Approved", ["Comment"] = "同意" };
        context.Outputs["Tally1"] = new Dictionary<string, object?> { ["Count"] = 4 };
        context.Outputs["Approve 2"] = new Dictionary<string, object?> { ["Result"] = "Rejected" };
        return context;
    }

    private sealed record PlanSummary(string Title, int Version);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
