using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>Once a document has left Draft its file is a record: no check-out, check-in or restore; 修订 makes a new draft.</summary>
public sealed class RecordLockTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(App);

    [Fact]
    public async Task AnIssuedOrder_RefusesCheckOutCheckInAndRestore_With409NamingTheStatus()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var id = await UploadAsync(clerk, "储罐区静电接地整改通知");
        (await clerk.PostAsync($"/api/documents/{id}/checkout", null)).EnsureSuccessStatusCode();
        (await clerk.PostAsync($"/api/documents/{id}/checkin", TestFiles.CheckIn(TestFiles.Pdf("v2"), "v2.pdf", "补充依据"))).EnsureSuccessStatusCode();
        (await clerk.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();
        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        var record = await Driver.DocumentAsync(id);
        Assert.Equal("Approved", record.GetProperty("genericStatus").GetString());
        Assert.True(record.GetProperty("locked").GetBoolean());

        var checkOut = await clerk.PostAsync($"/api/documents/{id}/checkout", null);
        var checkIn = await clerk.PostAsync($"/api/documents/{id}/checkin", TestFiles.CheckIn(TestFiles.Pdf("v3"), "v3.pdf", "偷改"));
        var restore = await clerk.PostAsync($"/api/documents/{id}/versions/0.1/restore", null);

        foreach (var refused in new[] { checkOut, checkIn, restore })
        {
            var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.Equal("Approved", problem.GetProperty("documentStatus").GetString());
            Assert.Equal("issued", problem.GetProperty("documentStage").GetString());
            Assert.Contains("文件不能再修改或替换", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("revise it", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var after = await Driver.DocumentAsync(id);
        Assert.Equal("1.0", after.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("checkedOutBy").ValueKind);
        var page = await (await clerk.GetAsync($"/documents/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("handler=CheckOut", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Restore", page, StringComparison.Ordinal);
        Assert.Contains("handler=Revise", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revise_CopiesTheRecordToALinkedDraft_WhichGoesThroughTheChainAgain_TheRecordStaysAsItWas()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var id = await UploadAsync(clerk, "烟花仓库防雷整改通知");
        var draftRevise = await clerk.PostAsync($"/api/documents/{id}/revise", null);
        await ProblemAssert.IsProblemAsync(draftRevise, HttpStatusCode.Conflict);
        (await clerk.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();
        await ProblemAssert.IsProblemAsync(await clerk.PostAsync($"/api/documents/{id}/revise", null), HttpStatusCode.Conflict);
        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        var record = await Driver.DocumentAsync(id);

        var revised = await clerk.PostAsync($"/api/documents/{id}/revise", null);

        Assert.Equal(HttpStatusCode.Created, revised.StatusCode);
        var draft = await revised.Content.ReadFromJsonAsync<JsonElement>();
        var draftId = draft.GetProperty("id").GetGuid();
        Assert.NotEqual(id, draftId);
        Assert.Equal($"/api/documents/{draftId}", revised.Headers.Location?.OriginalString);
        Assert.Equal("Draft", draft.GetProperty("genericStatus").GetString());
        Assert.Equal("0.1", draft.GetProperty("version").GetString());
        Assert.False(draft.GetProperty("locked").GetBoolean());
        Assert.Equal(id, draft.GetProperty("revisionOf").GetGuid());
        Assert.Equal("zhaomin", draft.GetProperty("createdBy").GetString());
        Assert.Equal(record.GetProperty("title").GetString(), draft.GetProperty("title").GetString());
        Assert.Equal(record.GetProperty("library").GetString(), draft.GetProperty("library").GetString());
        Assert.Equal(record.GetProperty("metadata").GetRawText(), draft.GetProperty("metadata").GetRawText());
        Assert.Equal(
            await clerk.GetByteArrayAsync($"/api/documents/{id}/versions/1.0/content"),
            await clerk.GetByteArrayAsync($"/api/documents/{draftId}/versions/0.1/content"));

        var unchanged = await Driver.DocumentAsync(id);
        Assert.Equal("Approved", unchanged.GetProperty("genericStatus").GetString());
        Assert.Equal("1.0", unchanged.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("revisionOf").ValueKind);
        var revisions = await clerk.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/revisions");
        Assert.Equal(draftId, Assert.Single(revisions.EnumerateArray()).GetProperty("id").GetGuid());
        var twice = await clerk.PostAsync($"/api/documents/{id}/revise", null);
        Assert.Contains(draftId.ToString(), (await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var recordPage = await (await clerk.GetAsync($"/documents/{id}")).Content.ReadAsStringAsync();
        Assert.Contains($"/documents/{draftId}", recordPage, StringComparison.Ordinal);
        var draftPage = await (await clerk.GetAsync($"/documents/{draftId}")).Content.ReadAsStringAsync();
        Assert.Contains($"/documents/{id}", draftPage, StringComparison.Ordinal);
        Assert.Contains("handler=CheckOut", draftPage, StringComparison.Ordinal);

        (await clerk.PostAsync($"/api/documents/{draftId}/checkout", null)).EnsureSuccessStatusCode();
        (await clerk.PostAsync($"/api/documents/{draftId}/checkin", TestFiles.CheckIn(TestFiles.Pdf("revised"), "修订.pdf", "按新规修订"))).EnsureSuccessStatusCode();
        var submitted = await clerk.PostAsync($"/api/documents/{draftId}/submit", null);

        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        Assert.Equal("Pending", await Driver.StatusAsync(draftId));
        Assert.Single(await Driver.OpenTasksAsync("wangqiang", draftId));
        var audit = await (await App.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "document.revise");
        var verify = await (await App.ClientForAsync("auditadmin")).GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Revise_IsForThoseWhoMayDraftForTheUnit()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var id = await UploadAsync(clerk, "防雷检测整改通知");
        (await clerk.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();
        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");

        var leader = await App.ClientForAsync("liuhua");
        var principal = await App.ClientForAsync("heping");

        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync($"/api/documents/{id}/revise", null)).StatusCode);
        var own = await principal.PostAsync($"/api/documents/{id}/revise", null);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var page = await (await leader.GetAsync($"/documents/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("handler=Revise", page, StringComparison.Ordinal);
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string title)
    {
        var response = await client.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf(title), "order.pdf", new
            {
                inspectedUnit = "xiangnan-chemical", hazardDescription = title, location = "厂区", grade = "一般", deadline = "2026-12-30",
            }, title));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
