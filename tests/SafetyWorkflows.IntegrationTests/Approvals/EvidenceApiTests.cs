using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>Evidence carries its label (整改方案, 整改前照片, 整改后照片, 其他) and the next reviewer reads it inline.</summary>
public sealed class EvidenceApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task LabelledEvidence_IsListedForTheReinspector_AndOpensInline_ButNotForAStranger()
    {
        var driver = new ApprovalDriver(App);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "应急照明损坏", location = "仓库", grade = "一般", deadline = "2027-02-01", inspector = "wujie",
        }, "湘南化工应急照明整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        await driver.DecideAsync("heping", id, "sign", null);
        var task = Assert.Single(await driver.OpenTasksAsync("heping", id));
        var unit = await App.ClientForAsync("heping");

        var bad = await unit.PostAsync($"/api/tasks/{task}/files", Form(TestFiles.Png(), "照片.png", "photo"));
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "label");

        var plan = await unit.PostAsync($"/api/tasks/{task}/files", Form(TestFiles.Pdf("方案"), "整改方案.pdf", "plan"));
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        var after = await unit.PostAsync($"/api/tasks/{task}/files", Form(TestFiles.Photo(0, 128, 0), "整改后.png", "after"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var unlabelled = await unit.PostAsync($"/api/tasks/{task}/files", Form(TestFiles.Pdf("其他"), "说明.pdf", null));
        Assert.Equal("other", (await unlabelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());
        await driver.DecideAsync("heping", id, "submit", "已整改");

        var inspector = await App.ClientForAsync("wujie");
        var listed = await inspector.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/evidence");
        Assert.Equal(["plan", "after", "other"], listed.EnumerateArray().Select(e => e.GetProperty("label").GetString()!).ToArray());
        var photo = listed.EnumerateArray().Single(e => e.GetProperty("label").GetString() == "after");
        var content = await inspector.GetAsync(photo.GetProperty("contentUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("image/png", content.Content.Headers.ContentType?.MediaType);
        Assert.Null(content.Content.Headers.ContentDisposition);
        Assert.Equal(TestFiles.Photo(0, 128, 0), await content.Content.ReadAsByteArrayAsync());

        // A village head of another village neither sees the order nor had a task on it.
        var stranger = await App.ClientForAsync("yangshan");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/documents/{id}/evidence")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync(photo.GetProperty("contentUrl").GetString())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.GetAsync($"/api/documents/{id}/evidence/{Guid.NewGuid()}/content")).StatusCode);
    }

    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string? label)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        if (label is not null)
        {
            form.Add(new StringContent(label), "label");
        }

        return form;
    }
}
