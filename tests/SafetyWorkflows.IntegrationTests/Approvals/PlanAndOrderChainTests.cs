using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>The emergency-plan-revision and rectification-order chains shipped in workflows/, end to end through the REST API.</summary>
public sealed class PlanAndOrderChainTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task EmergencyPlan_HighRisk_GoesThroughAQuorumOfExperts_IsPublished_AndFiled()
    {
        var id = await UploadAndSubmitAsync("zhaomin", "emergency-plans", new
        {
            ownerUnit = "xiangnan-chemical", planType = "综合应急预案", riskClass = "高风险",
        }, "湘南化工综合应急预案（修订）");

        await DecideAsync("wangqiang", id, "approve", "形式审查合格");
        Assert.Single(await OpenTasksAsync("gaoyan", id));
        await DecideAsync("linfang", id, "approve", "同意");
        Assert.Equal("Pending", await StatusAsync(id));
        await DecideAsync("xuming", id, "approve", "同意，建议补充疏散路线图");
        Assert.Empty(await OpenTasksAsync("gaoyan", id));
        await DecideAsync("liuhua", id, "approve", "同意");
        await DecideAsync("heping", id, "sign", null);
        Assert.Equal("Published", await StatusAsync(id));
        Assert.Equal("1.0", (await DocumentAsync(id)).GetProperty("version").GetString());

        var filing = Assert.Single(await OpenTasksAsync("heping", id));
        var principal = await App.ClientForAsync("heping");
        var early = await principal.PostAsJsonAsync($"/api/tasks/{filing}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "submit" });
        await ProblemAssert.IsProblemAsync(early, HttpStatusCode.BadRequest, "files");
        await AttachAsync("heping", filing, "备案回执.pdf");
        await DecideAsync("heping", id, "submit", "已报县应急管理局备案");

        var trail = await TrailAsync(id);
        Assert.Contains("gaoyan:Cancelled", trail);
        Assert.Equal("heping:Completed", trail[^1]);
    }

    [Fact]
    public async Task RectificationOrder_Major_IsListed_ARefusalIsRecorded_AFailedReinspectionLoopsBack_ThenClosed()
    {
        var id = await UploadAndSubmitAsync("wujie", "rectification-orders", new
        {
            inspectedUnit = "shitang-quarry", hazardDescription = "边坡浮石未清理", location = "二号采区", grade = "重大", deadline = "2026-12-30",
        }, "石塘采石场边坡隐患整改通知");

        await DecideAsync("wangqiang", id, "approve", "同意下达");
        Assert.Equal("Approved", await StatusAsync(id));
        await DecideAsync("liuhua", id, "approve", "挂牌督办，限期整改");
        await DecideAsync("dengfei", id, "refuse", "对隐患等级有异议");
        var evidence = Assert.Single(await OpenTasksAsync("dengfei", id));
        await AttachAsync("dengfei", evidence, "整改方案.docx");
        await DecideAsync("dengfei", id, "submit", "已清理浮石");
        Assert.Empty(await OpenTasksAsync("wujie", id));
        await DecideAsync("zhengyu", id, "reject", "复查发现仍有浮石，重新整改");

        var again = Assert.Single(await OpenTasksAsync("dengfei", id));
        await AttachAsync("dengfei", again, "整改后照片.png");
        await DecideAsync("dengfei", id, "submit", "已再次清理并设置防护网");
        await DecideAsync("zhengyu", id, "approve", "复查合格，予以销号");

        Assert.Equal("Closed", await StatusAsync(id));
        var trail = await TrailAsync(id, withAction: true);
        Assert.Equal(
            ["wangqiang:approve", "liuhua:approve", "dengfei:refuse", "dengfei:submit", "zhengyu:reject", "dengfei:submit", "zhengyu:approve"],
            trail);
    }

    private async Task<Guid> UploadAndSubmitAsync(string userName, string library, object metadata, string title)
    {
        var client = await App.ClientForAsync(userName);
        var upload = await client.PostAsync($"/api/libraries/{library}/documents", TestFiles.Upload(TestFiles.Pdf(title), "doc.pdf", metadata, title));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var submitted = await client.PostAsync($"/api/documents/{id}/submit", null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        return id;
    }

    private async Task AttachAsync(string userName, Guid task, string fileName)
    {
        var bytes = fileName.EndsWith(".png", StringComparison.Ordinal) ? TestFiles.Png() : fileName.EndsWith(".docx", StringComparison.Ordinal) ? TestFiles.Docx() : TestFiles.Pdf(fileName);
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        var response = await (await App.ClientForAsync(userName)).PostAsync($"/api/tasks/{task}/files", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<List<Guid>> OpenTasksAsync(string userName, Guid documentId)
    {
        var list = await (await App.ClientForAsync(userName)).GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
        return list.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("documentId").GetGuid() == documentId).Select(t => t.GetProperty("id").GetGuid()).ToList();
    }

    private async Task DecideAsync(string userName, Guid documentId, string action, string? opinion)
    {
        var task = Assert.Single(await OpenTasksAsync(userName, documentId));
        var response = await (await App.ClientForAsync(userName)).PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action, opinion });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> TrailAsync(Guid id, bool withAction = false)
    {
        var trail = await (await App.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
        return trail.EnumerateArray()
            .Where(s => !withAction || s.GetProperty("status").GetString() == "Completed")
            .Select(s => $"{s.GetProperty("assignee").GetString()}:{(withAction ? s.GetProperty("action").GetString() : s.GetProperty("status").GetString())}").ToList();
    }

    private async Task<JsonElement> DocumentAsync(Guid id) => await (await App.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}");

    private async Task<string?> StatusAsync(Guid id) => (await DocumentAsync(id)).GetProperty("status").GetString();
}
