using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Infrastructure.Seeding;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>Libraries are data: an administrator adds columns, choices and whole libraries without code, and no edit drops a
/// stored value.</summary>
public sealed class LibraryAdministrationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string[] FirstChoices = ["消防", "用电"];

    private AppFactory App => fixture.App;

    [Fact]
    public async Task AddedChoiceColumn_IsAskedFor_Validated_AndStoredOnNewDocuments()
    {
        var admin = await App.ClientForAsync("admin");
        var added = await admin.PostAsJsonAsync("/api/libraries/rectification-orders/columns",
            new { name = "隐患类别", nameEn = "Hazard category", type = "choice", required = false, options = FirstChoices });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var column = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("columns").EnumerateArray().Last();
        Assert.Equal("hazardCategory", column.GetProperty("key").GetString());
        Assert.Equal("choice", column.GetProperty("type").GetString());

        var choice = await admin.PostAsJsonAsync("/api/libraries/rectification-orders/columns/hazardCategory/choices", new { choice = "危化品" });
        Assert.Equal(HttpStatusCode.OK, choice.StatusCode);

        var inspector = await App.ClientForAsync("wujie");
        var refused = await inspector.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf("x"), "x.pdf", Metadata("燃气"), "储罐区隐患"));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "metadata.hazardCategory");

        var created = await inspector.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf("x"), "x.pdf", Metadata("危化品"), "储罐区隐患"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("危化品", document.GetProperty("metadata").GetProperty("hazardCategory").GetString());

        // Hiding the column: no longer asked for or shown, and the stored value stays.
        var hidden = await admin.PatchAsJsonAsync("/api/libraries/rectification-orders/columns/hazardCategory", new { hidden = true, required = true });
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        var withoutIt = await inspector.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf("y"), "y.pdf", TestFiles.OrderMetadata(), "另一处隐患"));
        Assert.Equal(HttpStatusCode.Created, withoutIt.StatusCode);
        var again = await admin.GetFromJsonAsync<JsonElement>($"/api/documents/{document.GetProperty("id").GetGuid()}");
        Assert.Equal("危化品", again.GetProperty("metadata").GetProperty("hazardCategory").GetString());

        // The seed runs again at every start: it leaves the administrator's edits alone.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(CancellationToken.None);
        }

        var library = await admin.GetFromJsonAsync<JsonElement>("/api/libraries/rectification-orders");
        var stored = library.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "hazardCategory");
        Assert.True(stored.GetProperty("hidden").GetBoolean());
        Assert.Equal(["消防", "用电", "危化品"], stored.GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray());
    }

    [Fact]
    public async Task NewLibrary_NeedsNoCode_ItsDocumentsRunTheChosenChain()
    {
        var admin = await App.ClientForAsync("admin");
        var created = await admin.PostAsJsonAsync("/api/libraries", new
        {
            name = "安委会会议记录",
            nameEn = "Committee records",
            unitColumn = "unit",
            chainId = "responsibility-letter",
            columns = new object[]
            {
                new { key = "unit", name = "所属单位", nameEn = "Unit", type = "unit", required = true },
                new { key = "meetingDate", name = "会议日期", nameEn = "Meeting date", type = "date", required = true },
                new { key = "attendees", name = "参会人数", nameEn = "Attendees", type = "number", required = false },
                new { key = "leaderPresent", name = "主要负责人出席", nameEn = "Leader present", type = "yesno", required = false },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("committee-records", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/libraries");
        Assert.Contains(listed.EnumerateArray(), l => l.GetProperty("key").GetString() == "committee-records");

        var clerk = await App.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/committee-records/documents", TestFiles.Upload(TestFiles.Pdf("纪要"), "纪要.pdf",
            new { unit = "safety-committee", meetingDate = "2026-12-01", attendees = "12.5", leaderPresent = "是" }, "第四季度安委会会议纪要"));
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var document = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(12.5m, document.GetProperty("metadata").GetProperty("attendees").GetDecimal());
        Assert.True(document.GetProperty("metadata").GetProperty("leaderPresent").GetBoolean());

        var id = document.GetProperty("id").GetGuid();
        var submitted = await clerk.PostAsync($"/api/documents/{id}/submit", null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        Assert.NotEmpty(await new ApprovalDriver(App).OpenTasksAsync("wangqiang", id));
    }

    [Fact]
    public async Task BadEdits_Answer400NamingTheField_OthersMayNotEdit()
    {
        var admin = await App.ClientForAsync("admin");
        await ProblemAssert.IsProblemAsync(
            await admin.PostAsJsonAsync("/api/libraries", new { name = "演练记录", nameEn = "Drill records", unitColumn = "unit", chainId = "no-such-chain",
                columns = new[] { new { key = "unit", name = "单位", nameEn = "Unit", type = "unit", required = true } } }),
            HttpStatusCode.BadRequest, "chainId");
        await ProblemAssert.IsProblemAsync(
            await admin.PostAsJsonAsync("/api/libraries/emergency-plans/columns", new { name = "备注", nameEn = "Notes", type = "colour" }),
            HttpStatusCode.BadRequest, "columns.type");
        await ProblemAssert.IsProblemAsync(
            await admin.PostAsJsonAsync("/api/libraries/emergency-plans/columns/planType/choices", new { choice = "专项应急预案" }),
            HttpStatusCode.BadRequest, "choice");
        await ProblemAssert.IsProblemAsync(
            await admin.PatchAsJsonAsync("/api/libraries/emergency-plans/columns/ownerUnit", new { hidden = true }),
            HttpStatusCode.BadRequest, "hidden");
        await ProblemAssert.IsProblemAsync(
            await admin.PatchAsJsonAsync("/api/libraries/emergency-plans/columns/noSuchColumn", new { name = "x" }), HttpStatusCode.NotFound);

        var clerk = await App.ClientForAsync("zhaomin");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await clerk.PostAsJsonAsync("/api/libraries/emergency-plans/columns", new { name = "备注", nameEn = "Notes", type = "text" })).StatusCode);

        // Nothing of the refused edits was stored.
        var plans = await admin.GetFromJsonAsync<JsonElement>("/api/libraries/emergency-plans");
        Assert.DoesNotContain(plans.GetProperty("columns").EnumerateArray(), c => c.GetProperty("name").GetString() == "备注");
        Assert.False(plans.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "ownerUnit").GetProperty("hidden").GetBoolean());
    }

    private static object Metadata(string category) => new
    {
        inspectedUnit = "xiangnan-chemical",
        hazardDescription = "储罐区静电接地线断开",
        location = "储罐区",
        grade = "一般",
        deadline = "2026-12-20",
        hazardCategory = category,
    };
}
