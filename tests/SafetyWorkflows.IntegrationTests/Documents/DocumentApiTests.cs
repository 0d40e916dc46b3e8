using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

public sealed class DocumentApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task Upload_CreatesVersion01Draft_WithNormalisedMetadata()
    {
        var clerk = await App.ClientForAsync("zhaomin");

        var response = await clerk.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf("order"), "整改通知.pdf", TestFiles.OrderMetadata(), "湘南化工静电接地整改"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var doc = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("0.1", doc.GetProperty("version").GetString());
        Assert.Equal("draft", doc.GetProperty("status").GetString());
        Assert.Equal("草稿", doc.GetProperty("statusLabel").GetString());
        Assert.Equal("Draft", doc.GetProperty("genericStatus").GetString());
        Assert.False(doc.GetProperty("overdue").GetBoolean());
        Assert.Equal("rectification-orders", doc.GetProperty("library").GetString());
        Assert.Equal("湘南化工静电接地整改", doc.GetProperty("title").GetString());
        Assert.Equal("重大", doc.GetProperty("metadata").GetProperty("grade").GetString());
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("checkedOutBy").ValueKind);
        Assert.Equal($"/api/documents/{doc.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task EditCycle_CheckOutBlocksOthers_CheckInMakesNextMinor_RestoreKeepsBytes()
    {
        var zhaomin = await App.ClientForAsync("zhaomin");
        var chenjing = await App.ClientForAsync("chenjing");
        var v01 = TestFiles.Pdf("first draft");
        var v02 = TestFiles.Docx();
        var id = await UploadAsync(zhaomin, v01, "责任书.pdf");

        var checkOut = await zhaomin.PostAsync($"/api/documents/{id}/checkout", null);
        Assert.True(checkOut.IsSuccessStatusCode, await checkOut.Content.ReadAsStringAsync());

        var blockedCheckIn = await chenjing.PostAsync($"/api/documents/{id}/checkin", TestFiles.CheckIn(TestFiles.Pdf("other"), "x.pdf", "抢先"));
        var problem = await ProblemAssert.IsProblemAsync(blockedCheckIn, HttpStatusCode.Conflict);
        Assert.Equal("zhaomin", problem.GetProperty("holder").GetString());
        Assert.Contains("zhaomin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var blockedCheckOut = await chenjing.PostAsync($"/api/documents/{id}/checkout", null);
        Assert.Equal("zhaomin", (await ProblemAssert.IsProblemAsync(blockedCheckOut, HttpStatusCode.Conflict)).GetProperty("holder").GetString());

        var checkIn = await zhaomin.PostAsync($"/api/documents/{id}/checkin", TestFiles.CheckIn(v02, "责任书-修订.docx", "按安办意见修改"));
        Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);
        var afterCheckIn = await checkIn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("0.2", afterCheckIn.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, afterCheckIn.GetProperty("checkedOutBy").ValueKind);

        var versions = await zhaomin.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/versions");
        Assert.Equal(["0.2", "0.1"], versions.EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToArray());
        Assert.Equal("按安办意见修改", versions[0].GetProperty("comment").GetString());
        Assert.Equal("责任书-修订.docx", versions[0].GetProperty("fileName").GetString());

        var restore = await chenjing.PostAsync($"/api/documents/{id}/versions/0.1/restore", null);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Equal("0.3", (await restore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());

        Assert.Equal(v01, await zhaomin.GetByteArrayAsync($"/api/documents/{id}/versions/0.1/content"));
        Assert.Equal(v02, await zhaomin.GetByteArrayAsync($"/api/documents/{id}/versions/0.2/content"));
        Assert.Equal(v01, await zhaomin.GetByteArrayAsync($"/api/documents/{id}/versions/0.3/content"));

        var audit = await (await App.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}");
        Assert.Equal(
            ["document.restore", "document.checkin", "document.checkout", "document.upload"],
            audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task DiscardCheckOut_IsRefusedToOthers_AndAllowedToAdmin()
    {
        var zhaomin = await App.ClientForAsync("zhaomin");
        var chenjing = await App.ClientForAsync("chenjing");
        var admin = await App.ClientForAsync("admin");
        var id = await UploadAsync(zhaomin, TestFiles.Pdf("lock"), "lock.pdf");
        await zhaomin.PostAsync($"/api/documents/{id}/checkout", null);

        await ProblemAssert.IsProblemAsync(await chenjing.PostAsync($"/api/documents/{id}/discard-checkout", null), HttpStatusCode.Conflict);
        var discarded = await admin.PostAsync($"/api/documents/{id}/discard-checkout", null);

        Assert.Equal(HttpStatusCode.OK, discarded.StatusCode);
        var doc = await chenjing.GetFromJsonAsync<JsonElement>($"/api/documents/{id}");
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("checkedOutBy").ValueKind);
        Assert.Equal("0.1", doc.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Visibility_VillageSeesOwnDocuments_AndGets403OnAnotherVillages()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var qingshanHead = await App.ClientForAsync("yangshan");
        var own = await UploadAsync(clerk, TestFiles.Pdf("qingshan"), "青山村责任书.pdf", TestFiles.LetterMetadata("qingshan-village"));
        var other = await UploadAsync(clerk, TestFiles.Pdf("liutang"), "柳塘村责任书.pdf", TestFiles.LetterMetadata("liutang-village"));

        Assert.Equal(HttpStatusCode.OK, (await qingshanHead.GetAsync($"/api/documents/{own}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await qingshanHead.GetAsync($"/api/documents/{other}"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await qingshanHead.GetAsync($"/api/documents/{other}/versions/0.1/content"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await qingshanHead.PostAsync($"/api/documents/{other}/checkout", null), HttpStatusCode.Forbidden);

        var list = await qingshanHead.GetFromJsonAsync<JsonElement>("/api/libraries/responsibility-letters/documents?pageSize=200");
        var ids = list.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(own, ids);
        Assert.DoesNotContain(other, ids);
        Assert.All(list.GetProperty("items").EnumerateArray(), d => Assert.Equal("qingshan-village", d.GetProperty("unitId").GetString()));

        var clerkList = await clerk.GetFromJsonAsync<JsonElement>("/api/libraries/responsibility-letters/documents?unitId=liutang-village&pageSize=200");
        Assert.Contains(other, clerkList.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task List_FiltersByStatusAndText_AndPages()
    {
        var clerk = await App.ClientForAsync("chenjing");
        var marker = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await UploadAsync(clerk, TestFiles.Pdf($"page{i}"), $"p{i}.pdf", TestFiles.LetterMetadata("shuangqiao-village"), $"双桥村-{marker}-{i}");
        }

        var page1 = await clerk.GetFromJsonAsync<JsonElement>($"/api/libraries/responsibility-letters/documents?q={marker}&status=Draft&page=1&pageSize=2");
        var page2 = await clerk.GetFromJsonAsync<JsonElement>($"/api/libraries/responsibility-letters/documents?q={marker}&status=Draft&page=2&pageSize=2");
        var pending = await clerk.GetFromJsonAsync<JsonElement>($"/api/libraries/responsibility-letters/documents?q={marker}&status=Pending");

        Assert.Equal(3, page1.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.Equal(0, pending.GetProperty("totalCount").GetInt32());
    }

    public static TheoryData<string, string, string, string?, string> BadUploads => new()
    {
        { "missing required metadata", "responsibility-letters", "a.pdf", """{"counterpartyUnit":"qingshan-village","counterpartyKind":"村(社区)"}""", "metadata.year" },
        { "unknown unit", "responsibility-letters", "a.pdf", """{"counterpartyUnit":"atlantis","year":2024,"counterpartyKind":"村(社区)"}""", "metadata.counterpartyUnit" },
        { "choice outside options", "rectification-orders", "a.pdf", """{"inspectedUnit":"shitang-quarry","hazardDescription":"x","location":"y","grade":"特大","deadline":"2024-01-01"}""", "metadata.grade" },
        { "bad date", "rectification-orders", "a.pdf", """{"inspectedUnit":"shitang-quarry","hazardDescription":"x","location":"y","grade":"一般","deadline":"30/06/2024"}""", "metadata.deadline" },
        { "unknown column", "responsibility-letters", "a.pdf", """{"counterpartyUnit":"qingshan-village","year":2024,"counterpartyKind":"村(社区)","colour":"red"}""", "metadata.colour" },
        { "malformed metadata JSON", "responsibility-letters", "a.pdf", """{"counterpartyUnit": "qingshan-village", """, "metadata" },
        { "metadata not an object", "responsibility-letters", "a.pdf", "[1,2]", "metadata" },
        { "disallowed type", "responsibility-letters", "setup.exe", null, "file" },
        { "path in file name", "responsibility-letters", "../../etc/passwd.pdf", null, "file" },
        { "backslash path in file name", "responsibility-letters", "..\\secret.pdf", null, "file" },
        { "content not matching extension", "responsibility-letters", "fake.png", null, "file" },
        { "unknown library", "minutes", "a.pdf", null, "library" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Upload_BadInput_Answers400NamingTheField_AndStoresNothing(string because, string library, string fileName, string? metadata, string field)
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var before = await CountsAsync();

        var response = await clerk.PostAsync($"/api/libraries/{library}/documents",
            TestFiles.Upload(TestFiles.Pdf(because), fileName, TestFiles.LetterMetadata(), rawMetadata: metadata));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Upload_OversizedFile_Answers400_AndStoresNothing()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var before = await CountsAsync();
        var big = new byte[App.MaxUploadBytes + 10];
        TestFiles.Pdf("big").CopyTo(big, 0);

        var response = await clerk.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(big, "big.pdf", TestFiles.LetterMetadata()));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "file");
        Assert.Contains(App.MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Upload_NotMultipart_Answers415Problem()
    {
        var clerk = await App.ClientForAsync("zhaomin");

        var response = await clerk.PostAsJsonAsync("/api/libraries/responsibility-letters/documents", new { title = "x" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task CheckIn_BadFile_KeepsCheckOutAndVersions()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var id = await UploadAsync(clerk, TestFiles.Pdf("keep"), "keep.pdf");
        await clerk.PostAsync($"/api/documents/{id}/checkout", null);

        var response = await clerk.PostAsync($"/api/documents/{id}/checkin", TestFiles.CheckIn(TestFiles.Text("plain"), "virus.exe", "x"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "file");
        var doc = await clerk.GetFromJsonAsync<JsonElement>($"/api/documents/{id}");
        Assert.Equal("0.1", doc.GetProperty("version").GetString());
        Assert.Equal("zhaomin", doc.GetProperty("checkedOutBy").GetString());
    }

    [Fact]
    public async Task Restore_UnknownVersion_Answers404_AndBadLabel400()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var id = await UploadAsync(clerk, TestFiles.Pdf("restore"), "r.pdf");

        await ProblemAssert.IsProblemAsync(await clerk.PostAsync($"/api/documents/{id}/versions/7.3/restore", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await clerk.PostAsync($"/api/documents/{id}/versions/latest/restore", null), HttpStatusCode.BadRequest, "version");
    }

    [Fact]
    public async Task Upload_ByReadOnlyRole_Answers403()
    {
        var leader = await App.ClientForAsync("liuhua");

        var response = await leader.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(TestFiles.Pdf("x"), "x.pdf", TestFiles.LetterMetadata()));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private async Task<Guid> UploadAsync(HttpClient client, byte[] bytes, string fileName, object? metadata = null, string? title = null)
    {
        var response = await client.PostAsync("/api/libraries/responsibility-letters/documents",
            TestFiles.Upload(bytes, fileName, metadata ?? TestFiles.LetterMetadata(), title));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(long Documents, long Versions, long Audit, int Files, int Staging)> CountsAsync() => (
        await App.ScalarAsync("SELECT COUNT(*) FROM Documents"),
        await App.ScalarAsync("SELECT COUNT(*) FROM DocumentVersions"),
        await App.ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Action <> 'auth.sign-in'"),
        App.StoredFileCount(),
        App.StagingFileCount());
}
