using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>The emergency-plan-revision and rectification-order chains shipped in workflows/, end to end through the REST API.</summary>
public sealed class PlanAndOrderChainTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(fixture.App);

    [Fact]
    public async Task EmergencyPlan_HighRisk_GoesThroughAQuorumOfExperts_IsPublished_AndFiled()
    {
        var id = await Driver.UploadAndSubmitAsync("zhaomin", "emergency-plans", new
        {
            ownerUnit = "xiangnan-chemical", planType = "综合应急预案", riskClass = "高风险",
        }, "湘南化工综合应急预案（修订）");

        await Driver.DecideAsync("wangqiang", id, "approve", "形式审查合格");
        Assert.Single(await Driver.OpenTasksAsync("gaoyan", id));
        await Driver.DecideAsync("linfang", id, "approve", "同意");
        Assert.Equal("Pending", await Driver.StatusAsync(id));
        await Driver.DecideAsync("xuming", id, "approve", "同意，建议补充疏散路线图");
        Assert.Empty(await Driver.OpenTasksAsync("gaoyan", id));
        await Driver.DecideAsync("liuhua", id, "approve", "同意");
        await Driver.DecideAsync("heping", id, "sign", null);
        Assert.Equal("Published", await Driver.StatusAsync(id));
        Assert.Equal("1.0", (await Driver.DocumentAsync(id)).GetProperty("version").GetString());

        var filing = Assert.Single(await Driver.OpenTasksAsync("heping", id));
        var principal = await App.ClientForAsync("heping");
        var filingTask = (await principal.GetFromJsonAsync<JsonElement>($"/api/tasks/{filing}")).GetProperty("task");
        var calendar = (SafetyWorkflows.Core.Calendar.WorkingCalendar)App.Services.GetService(typeof(SafetyWorkflows.Core.Calendar.WorkingCalendar))!;
        var created = TimeZoneInfo.ConvertTime(filingTask.GetProperty("createdAt").GetDateTimeOffset(), SafetyWorkflows.Core.Calendar.WorkingCalendar.China);
        var expected = calendar.AddWorkingDays(DateOnly.FromDateTime(created.DateTime), 20);
        var due = TimeZoneInfo.ConvertTime(filingTask.GetProperty("dueAt").GetDateTimeOffset(), SafetyWorkflows.Core.Calendar.WorkingCalendar.China);
        Assert.Equal(expected.Date, DateOnly.FromDateTime(due.DateTime));
        Assert.Equal(expected.Certain, filingTask.GetProperty("dueNote").ValueKind == JsonValueKind.Null);
        var early = await principal.PostAsJsonAsync($"/api/tasks/{filing}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "submit" });
        await ProblemAssert.IsProblemAsync(early, HttpStatusCode.BadRequest, "files");
        await Driver.AttachAsync("heping", filing, "备案回执.pdf");
        await Driver.DecideAsync("heping", id, "submit", "已报县应急管理局备案");

        var trail = await TrailAsync(id);
        Assert.Contains("gaoyan:Cancelled", trail);
        Assert.Equal("heping:Completed", trail[^1]);
    }

    [Fact]
    public async Task RectificationOrder_Major_IsListed_ARefusalIsRecorded_AFailedReinspectionLoopsBack_ThenClosed()
    {
        var id = await Driver.UploadAndSubmitAsync("wujie", "rectification-orders", new
        {
            inspectedUnit = "shitang-quarry", hazardDescription = "边坡浮石未清理", location = "二号采区", grade = "重大", deadline = "2026-12-30",
        }, "石塘采石场边坡隐患整改通知");

        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        Assert.Equal("Approved", await Driver.StatusAsync(id));
        await Driver.DecideAsync("liuhua", id, "approve", "挂牌督办，限期整改");
        await Driver.DecideAsync("dengfei", id, "refuse", "对隐患等级有异议");
        var evidence = Assert.Single(await Driver.OpenTasksAsync("dengfei", id));
        await Driver.AttachAsync("dengfei", evidence, "整改方案.docx");
        await Driver.DecideAsync("dengfei", id, "submit", "已清理浮石");
        Assert.Empty(await Driver.OpenTasksAsync("wujie", id));
        await Driver.DecideAsync("zhengyu", id, "reject", "复查发现仍有浮石，重新整改");

        var again = Assert.Single(await Driver.OpenTasksAsync("dengfei", id));
        await Driver.AttachAsync("dengfei", again, "整改后照片.png");
        await Driver.DecideAsync("dengfei", id, "submit", "已再次清理并设置防护网");
        await Driver.DecideAsync("zhengyu", id, "approve", "复查合格，予以销号");

        Assert.Equal("Closed", await Driver.StatusAsync(id));
        var trail = await TrailAsync(id, withAction: true);
        Assert.Equal(
            ["wangqiang:approve", "liuhua:approve", "dengfei:refuse", "dengfei:submit", "zhengyu:reject", "dengfei:submit", "zhengyu:approve"],
            trail);
    }

    private async Task<List<string>> TrailAsync(Guid id, bool withAction = false)
    {
        var trail = await Driver.TrailAsync(id);
        return trail.EnumerateArray()
            .Where(s => !withAction || s.GetProperty("status").GetString() == "Completed")
            .Select(s => $"{s.GetProperty("assignee").GetString()}:{(withAction ? s.GetProperty("action").GetString() : s.GetProperty("status").GetString())}").ToList();
    }

}
