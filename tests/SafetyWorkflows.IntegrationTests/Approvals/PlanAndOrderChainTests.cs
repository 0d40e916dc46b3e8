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
        Assert.Equal(("pending", "审批中", false), await Driver.StageAsync(id));
        await Driver.DecideAsync("heping", id, "sign", null);
        Assert.Equal("Published", await Driver.StatusAsync(id));
        Assert.Equal(("published", "已公布", false), await Driver.StageAsync(id));
        var publishedPlan = await Driver.DocumentAsync(id);
        Assert.Equal("1.0", publishedPlan.GetProperty("version").GetString());
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, SafetyWorkflows.Core.Calendar.WorkingCalendar.China).DateTime);
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            publishedPlan.GetProperty("metadata").GetProperty("publishedOn").GetString());

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
        Assert.Equal(("filed", "已备案", false), await Driver.StageAsync(id));
        Assert.Equal("Published", await Driver.StatusAsync(id));
        var english = new HttpRequestMessage(HttpMethod.Get, $"/api/documents/{id}") { Headers = { { "Accept-Language", "en" } } };
        var inEnglish = await (await (await App.ClientForAsync("zhaomin")).SendAsync(english)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Filed", inEnglish.GetProperty("statusLabel").GetString());
        Assert.Equal("filed", inEnglish.GetProperty("status").GetString());

        var trail = await TrailAsync(id);
        Assert.Contains("gaoyan:Cancelled", trail);
        Assert.Equal("heping:Completed", trail[^1]);
    }

    [Fact]
    public async Task RectificationOrder_Major_IsListed_ARefusalIsRecorded_AFailedReinspectionLoopsBack_ThenClosed_AndDelisted()
    {
        var id = await Driver.UploadAndSubmitAsync("wujie", "rectification-orders", new
        {
            inspectedUnit = "shitang-quarry", hazardDescription = "边坡浮石未清理", location = "二号采区", grade = "重大", deadline = "2026-12-30",
        }, "石塘采石场边坡隐患整改通知");

        Assert.Equal(("pending", "审批中", false), await Driver.StageAsync(id));
        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        Assert.Equal("Approved", await Driver.StatusAsync(id));
        Assert.Equal(("issued", "已下达", false), await Driver.StageAsync(id));
        await Driver.DecideAsync("liuhua", id, "approve", "挂牌督办，限期整改");
        await Driver.DecideAsync("dengfei", id, "refuse", "对隐患等级有异议");
        Assert.Equal(("rectifying", "整改中", false), await Driver.StageAsync(id));
        var evidence = Assert.Single(await Driver.OpenTasksAsync("dengfei", id));
        await Driver.AttachAsync("dengfei", evidence, "整改方案.docx");
        await Driver.DecideAsync("dengfei", id, "submit", "已清理浮石");
        Assert.Equal(("reinspection", "待复查", false), await Driver.StageAsync(id));
        Assert.Empty(await Driver.OpenTasksAsync("wujie", id));
        await Driver.DecideAsync("zhengyu", id, "reject", "复查发现仍有浮石，重新整改");

        Assert.Equal(("rectifying", "整改中", false), await Driver.StageAsync(id));
        var again = Assert.Single(await Driver.OpenTasksAsync("dengfei", id));
        await Driver.AttachAsync("dengfei", again, "整改后照片.png");
        await Driver.DecideAsync("dengfei", id, "submit", "已再次清理并设置防护网");
        await Driver.DecideAsync("zhengyu", id, "approve", "复查合格，予以销号");

        Assert.Equal("Closed", await Driver.StatusAsync(id));
        Assert.Equal(("closed", "已销号", false), await Driver.StageAsync(id));
        await Driver.DecideAsync("liuhua", id, "approve", "摘牌");
        Assert.Empty(await Driver.OpenTasksAsync("liuhua", id));
        Assert.Equal("Closed", await Driver.StatusAsync(id));
        var trail = await TrailAsync(id, withAction: true);
        Assert.Equal(
            ["wangqiang:approve", "liuhua:approve", "dengfei:refuse", "dengfei:submit", "zhengyu:reject", "dengfei:submit", "zhengyu:approve", "liuhua:approve"],
            trail);
    }

    [Fact]
    public async Task RectificationOrder_Plain_EndsAtClosing_AndItsInspectorReinspects()
    {
        var id = await Driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "消防通道堆放杂物", location = "办公楼一层", grade = "一般",
            deadline = "2027-01-15", inspector = "zhengyu",
        }, "湘南化工消防通道整改通知");

        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        await Driver.DecideAsync("heping", id, "sign", "已签收");
        var evidence = Assert.Single(await Driver.OpenTasksAsync("heping", id));
        await Driver.AttachAsync("heping", evidence, "整改后照片.png");
        await Driver.DecideAsync("heping", id, "submit", "已清理");
        Assert.Empty(await Driver.OpenTasksAsync("wujie", id));

        // 退回 at 复查 sends the order back to 整改中: the unit gets its evidence step again, nothing ends.
        await Driver.DecideAsync("zhengyu", id, "sendBack", "请补充整改后照片");
        Assert.Equal(("rectifying", "整改中", false), await Driver.StageAsync(id));
        var more = Assert.Single(await Driver.OpenTasksAsync("heping", id));
        await Driver.AttachAsync("heping", more, "整改后照片-2.png");
        await Driver.DecideAsync("heping", id, "submit", "已补充");
        await Driver.DecideAsync("zhengyu", id, "approve", "复查合格");

        Assert.Equal(("closed", "已销号", false), await Driver.StageAsync(id));
        Assert.Empty(await Driver.OpenTasksAsync("liuhua", id));
        var list = await (await App.ClientForAsync("zhaomin")).GetFromJsonAsync<JsonElement>(
            $"/api/libraries/rectification-orders/documents?status=closed&q={Uri.EscapeDataString("湘南化工消防通道整改通知")}");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("已销号", item.GetProperty("statusLabel").GetString());
        Assert.Equal("Closed", item.GetProperty("genericStatus").GetString());
    }

    private async Task<List<string>> TrailAsync(Guid id, bool withAction = false)
    {
        var trail = await Driver.TrailAsync(id);
        return trail.EnumerateArray()
            .Where(s => !withAction || s.GetProperty("status").GetString() == "Completed")
            .Select(s => $"{s.GetProperty("assignee").GetString()}:{(withAction ? s.GetProperty("action").GetString() : s.GetProperty("status").GetString())}").ToList();
    }

}
