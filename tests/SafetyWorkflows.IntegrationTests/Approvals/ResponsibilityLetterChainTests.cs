using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>The responsibility-letter chain (workflows/responsibility-letter.json) driven through the REST API by seeded officials.</summary>
public sealed class ResponsibilityLetterChainTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(fixture.App);

    [Fact]
    public async Task HappyPath_ReviewLeaderCountersignSignature_EndsSigned_WithVersion10_AndATrail()
    {
        var id = await UploadAndSubmitAsync("qingshan-village");

        Assert.Equal("Pending", await Driver.StatusAsync(id));
        await Driver.DecideAsync("wangqiang", id, "approve", "同意，按模板签订");
        Assert.Empty(await Driver.OpenTasksAsync("wangqiang", id));
        await Driver.DecideAsync("liuhua", id, "approve", "同意");
        await Driver.DecideAsync("zhoujun", id, "approve", "同意");
        Assert.Equal("Pending", await Driver.StatusAsync(id));
        Assert.Single(await Driver.OpenTasksAsync("sunli", id));
        await Driver.DecideAsync("sunli", id, "approve", "同意");
        Assert.Equal("Approved", await Driver.StatusAsync(id));
        Assert.Equal("1.0", (await Driver.DocumentAsync(id)).GetProperty("version").GetString());
        await Driver.DecideAsync("yangshan", id, "sign", null);

        Assert.Equal("Signed", await Driver.StatusAsync(id));
        var trail = await (await App.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        Assert.Equal(
            ["安办负责人审核:Approved", "分管安全副镇长审批:Approved", "党委书记、镇长会签:Approved", "党委书记、镇长会签:Approved", "签订单位负责人签字:Signed"],
            trail.EnumerateArray().Select(s => $"{s.GetProperty("step").GetString()}:{s.GetProperty("outcome").GetString()}").ToArray());
        Assert.Equal("同意，按模板签订", trail[0].GetProperty("opinion").GetString());
        var verify = await (await App.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Reject_NeedsAnOpinion_ThenEndsRejected_AndClosesTheTask()
    {
        var id = await UploadAndSubmitAsync("liutang-village");
        var head = await App.ClientForAsync("wangqiang");
        var task = (await Driver.OpenTasksAsync("wangqiang", id)).Single();

        var withoutOpinion = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "reject" });
        await ProblemAssert.IsProblemAsync(withoutOpinion, HttpStatusCode.BadRequest, "opinion");
        Assert.Equal("Pending", await Driver.StatusAsync(id));

        var rejected = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "reject", opinion = "签订单位类别有误" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("Rejected", await Driver.StatusAsync(id));

        var again = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve" });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SendBack_ReturnsTheDraft_ThenACheckedInRevisionIsResubmitted_AndStartsAgain()
    {
        var id = await UploadAndSubmitAsync("dongyue-community");
        await Driver.DecideAsync("wangqiang", id, "approve", "同意");
        await Driver.DecideAsync("liuhua", id, "sendBack", "请补充社区网格员名单");
        Assert.Equal("Draft", await Driver.StatusAsync(id));
        Assert.Empty(await Driver.OpenTasksAsync("zhoujun", id));

        var clerk = await App.ClientForAsync("zhaomin");
        (await clerk.PostAsync($"/api/documents/{id}/checkout", null)).EnsureSuccessStatusCode();
        (await clerk.PostAsync($"/api/documents/{id}/checkin", TestFiles.CheckIn(TestFiles.Pdf("revised"), "修订.pdf", "补充网格员名单"))).EnsureSuccessStatusCode();
        var resubmitted = await clerk.PostAsync($"/api/documents/{id}/submit", null);

        Assert.True(resubmitted.IsSuccessStatusCode, await resubmitted.Content.ReadAsStringAsync());
        Assert.Equal("Pending", await Driver.StatusAsync(id));
        Assert.Equal("0.2", (await Driver.DocumentAsync(id)).GetProperty("version").GetString());
        Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
        var trail = await clerk.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        Assert.Equal("请补充社区网格员名单", trail.EnumerateArray().Single(s => s.GetProperty("outcome").GetString() == "SentBack").GetProperty("opinion").GetString());
        var verify = await (await App.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task SendBack_ToANamedEarlierStep_RunsThatStepAgain_AnUnwiredStepIsRefused()
    {
        var id = await UploadAndSubmitAsync("qingshan-village");
        await Driver.DecideAsync("wangqiang", id, "approve", "同意");
        var leader = await App.ClientForAsync("liuhua");
        var task = Assert.Single(await Driver.OpenTasksAsync("liuhua", id));

        var unwired = await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "sendBack", toStep = "sign", opinion = "x" });
        await ProblemAssert.IsProblemAsync(unwired, HttpStatusCode.BadRequest, "toStep");
        var sent = await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "sendBack", toStep = "review", opinion = "请安办重新核对签订单位" });

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal("Pending", await Driver.StatusAsync(id));
        Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
        await Driver.DecideAsync("wangqiang", id, "approve", "已核对");
        await Driver.DecideAsync("liuhua", id, "approve", "同意");
        Assert.Single(await Driver.OpenTasksAsync("zhoujun", id));
    }

    [Fact]
    public async Task RepeatedCommandId_IsAnsweredAsTheFirstTime_AndAppliedOnce()
    {
        var id = await UploadAndSubmitAsync("shuangqiao-village");
        var head = await App.ClientForAsync("wangqiang");
        var task = (await Driver.OpenTasksAsync("wangqiang", id)).Single();
        var command = new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意" };

        var first = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", command);
        var second = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", command);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single(await Driver.OpenTasksAsync("liuhua", id));
    }

    [Fact]
    public async Task SomeoneElsesTask_Answers403_AndUnknownAction400()
    {
        var id = await UploadAndSubmitAsync("hongxing-village");
        var task = (await Driver.OpenTasksAsync("wangqiang", id)).Single();
        var clerk = await App.ClientForAsync("zhaomin");
        var leader = await App.ClientForAsync("liuhua");

        await ProblemAssert.IsProblemAsync(await clerk.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = "c-1-" + task, action = "approve" }), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = "c-2-" + task, action = "approve" }), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = "c-3-" + task, action = "stamp" }), HttpStatusCode.BadRequest, "action");
        await ProblemAssert.IsProblemAsync(await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { action = "approve" }), HttpStatusCode.BadRequest, "commandId");
        Assert.Equal("Pending", await Driver.StatusAsync(id));
    }

    [Fact]
    public async Task TheSubmitter_NeverReceivesATaskOnTheirOwnDocument()
    {
        var head = await App.ClientForAsync("wangqiang");
        var upload = await head.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(TestFiles.Pdf("own"), "own.pdf", TestFiles.LetterMetadata("dongyue-community")));
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var submitted = await head.PostAsync($"/api/documents/{id}/submit", null);

        // The only safety head submitted it: the review step has nobody else, so the submission is refused and nothing changes.
        await ProblemAssert.IsProblemAsync(submitted, HttpStatusCode.Conflict);
        Assert.Empty(await Driver.OpenTasksAsync("wangqiang", id));
        Assert.Equal("Draft", await Driver.StatusAsync(id));
    }

    [Fact]
    public async Task Reassign_Delegate_AddApprover_HandTheTaskOver_AndOnlyTheFinalDecisionMovesTheChain()
    {
        var id = await UploadAndSubmitAsync("qingshan-village");

        await Driver.HandOverAsync("wangqiang", id, "reassign", "chenjing");
        Assert.Empty(await Driver.OpenTasksAsync("wangqiang", id));
        await Driver.DecideAsync("chenjing", id, "approve", "代为审核，同意");

        await Driver.HandOverAsync("liuhua", id, "delegate", "wujie");
        var delegated = await (await App.ClientForAsync("wujie")).GetFromJsonAsync<JsonElement>($"/api/tasks/{Assert.Single(await Driver.OpenTasksAsync("wujie", id))}");
        Assert.DoesNotContain("delegate", delegated.GetProperty("task").GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        await Driver.DecideAsync("wujie", id, "approve", "现场核实无误");
        Assert.Equal("Pending", await Driver.StatusAsync(id));
        await Driver.DecideAsync("liuhua", id, "approve", "同意");

        await Driver.HandOverAsync("zhoujun", id, "addApprover", "wangqiang", "before");
        await Driver.DecideAsync("wangqiang", id, "approve", "加签同意");
        await Driver.DecideAsync("zhoujun", id, "approve", "同意");
        await Driver.HandOverAsync("sunli", id, "addApprover", "liuhua", "after");
        Assert.Equal("Pending", await Driver.StatusAsync(id));
        await Driver.DecideAsync("liuhua", id, "approve", "同意");

        Assert.Equal("Approved", await Driver.StatusAsync(id));
        var trail = await (await App.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        var actions = trail.EnumerateArray().Select(s => $"{s.GetProperty("assignee").GetString()}:{s.GetProperty("action").GetString()}").ToList();
        Assert.Equal(
            ["wangqiang:reassign", "chenjing:approve", "liuhua:delegate", "wujie:approve", "liuhua:approve", "zhoujun:addApprover", "sunli:addApprover", "wangqiang:approve", "zhoujun:approve", "liuhua:approve", "yangshan:"],
            actions);
    }

    [Fact]
    public async Task Copy_NotifiesTheRecipient_AndLeavesTheTaskOpen()
    {
        var id = await UploadAndSubmitAsync("shuangqiao-village");
        var before = await App.ScalarAsync("SELECT COUNT(*) FROM Notifications WHERE Recipient = 'wujie' AND Subject LIKE '【抄送】%'");

        await Driver.HandOverAsync("wangqiang", id, "copy", "wujie");

        Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
        Assert.Equal(before + 1, await App.ScalarAsync("SELECT COUNT(*) FROM Notifications WHERE Recipient = 'wujie' AND Subject LIKE '【抄送】%'"));
        var audit = await (await App.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "task.copy");
    }

    [Fact]
    public async Task HandOver_ToAnUnknownOfficialOrTheSubmitter_IsRefused_AndNothingChanges()
    {
        var id = await UploadAndSubmitAsync("liutang-village");
        var head = await App.ClientForAsync("wangqiang");
        var task = Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));

        await ProblemAssert.IsProblemAsync(await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "reassign", toUserName = "nobody" }), HttpStatusCode.BadRequest, "toUserName");
        await ProblemAssert.IsProblemAsync(await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "reassign", toUserName = "zhaomin" }), HttpStatusCode.Forbidden);

        Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
        Assert.Empty(await Driver.OpenTasksAsync("zhaomin", id));
    }

    [Fact]
    public async Task Withdraw_BeforeAnyoneActed_ReturnsTheDraft_AfterwardsIsRefused()
    {
        var first = await UploadAndSubmitAsync("hongxing-village");
        var clerk = await App.ClientForAsync("zhaomin");
        var other = await App.ClientForAsync("chenjing");

        await ProblemAssert.IsProblemAsync(await other.PostAsync($"/api/documents/{first}/withdraw", null), HttpStatusCode.Forbidden);
        var withdrawn = await clerk.PostAsync($"/api/documents/{first}/withdraw", null);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("Draft", await Driver.StatusAsync(first));
        Assert.Empty(await Driver.OpenTasksAsync("wangqiang", first));

        var second = await UploadAndSubmitAsync("shuangqiao-village");
        await Driver.DecideAsync("wangqiang", second, "approve", "同意");
        await ProblemAssert.IsProblemAsync(await clerk.PostAsync($"/api/documents/{second}/withdraw", null), HttpStatusCode.Conflict);
        Assert.Equal("Pending", await Driver.StatusAsync(second));
    }

    private Task<Guid> UploadAndSubmitAsync(string unit) =>
        Driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(unit), $"{unit} 2024 年安全生产责任书");
}
