using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notices;

/// <summary>Official notices on the real app: SQLite file, file store on disk, the installation's signing key.</summary>
public sealed partial class NoticeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(App);

    [GeneratedRegex(@"^安办责改〔(\d{4})〕(\d+)号$")]
    private static partial Regex OrderNumber();

    [Fact]
    public async Task IssuedOrder_NoticePdf_IsNumberedStoredSignedAndAudited_AndTheSameOnTheNextFetch()
    {
        var id = await IssuedOrderAsync("一般", "液化气瓶存放不规范整改通知");
        var reader = await App.ClientForAsync("heping"); // the inspected unit's principal reads the order

        var response = await reader.GetAsync($"/api/documents/{id}/notice.pdf");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var again = await (await App.ClientForAsync("zhaomin")).GetByteArrayAsync($"/api/documents/{id}/notice.pdf?kind=rectification-order");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        Assert.Equal(pdf, again);
        var notice = Assert.Single(await NoticesAsync(reader, id), n => n.GetProperty("kind").GetString() == "rectification-order");
        Assert.True(notice.GetProperty("issued").GetBoolean());
        var number = notice.GetProperty("number").GetString()!;
        Assert.Matches(OrderNumber(), number);
        Assert.Equal(Uri.EscapeDataString(number), response.Headers.GetValues("X-Notice-Number").Single());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(pdf)), notice.GetProperty("sha256").GetString(), ignoreCase: true);
        Assert.Equal("1.0", notice.GetProperty("documentVersion").GetString());
        Assert.True(File.Exists(StoredPath(notice.GetProperty("sha256").GetString()!)));
        using var parsed = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(pdf), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);
        Assert.Equal($"{number} 责令限期整改指令书", parsed.Info.Title);
        Assert.Equal("液化气瓶存放不规范整改通知", parsed.Info.Subject);
        Assert.True(parsed.PageCount >= 1);
        var text = PdfText.All(pdf);
        Assert.Contains("镇安全生产委员会办公室", text, StringComparison.Ordinal);
        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains("责令限期整改指令书", text, StringComparison.Ordinal);
        Assert.Contains("湘南化工", text, StringComparison.Ordinal);
        Assert.Contains("储罐区静电接地失效", text, StringComparison.Ordinal);
        Assert.Contains("安办审批整改通知：王强", text, StringComparison.Ordinal); // who decided
        Assert.Contains("检查人：吴杰", text, StringComparison.Ordinal);
        Assert.Contains("/verify/", text, StringComparison.Ordinal);
        Assert.Contains($"— 1 / {parsed.PageCount} —", text, StringComparison.Ordinal);
        var audit = await reader.GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}");
        Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "notice.issue");
    }

    [Fact]
    public async Task NoticeSignature_IsADetachedPkcs7OverThePdf_ThatBouncyCastleVerifies_AndFailsForOtherBytes()
    {
        var id = await IssuedOrderAsync("一般", "疏散通道堵塞整改通知");
        var client = await App.ClientForAsync("wangqiang");
        var pdf = await client.GetByteArrayAsync($"/api/documents/{id}/notice.pdf");
        var response = await client.GetAsync($"/api/documents/{id}/notice.p7s");
        var signature = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/pkcs7-signature", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Verifies(pdf, signature));
        var tampered = pdf.ToArray();
        tampered[tampered.Length / 2] ^= 0x01;
        Assert.False(Verifies(tampered, signature));
    }

    [Fact]
    public async Task TwoNoticesIssuedConcurrently_GetConsecutiveNumbers_AndOneDocumentFetchedTwiceAtOnce_GetsOne()
    {
        var first = await IssuedOrderAsync("一般", "配电箱未接地整改通知");
        var second = await IssuedOrderAsync("一般", "消防栓无水整改通知");
        var a = await App.ClientForAsync("wangqiang");
        var b = await App.ClientForAsync("zhaomin");

        var fetched = await Task.WhenAll(
            a.GetAsync($"/api/documents/{first}/notice.pdf"), b.GetAsync($"/api/documents/{second}/notice.pdf"),
            b.GetAsync($"/api/documents/{first}/notice.pdf"), a.GetAsync($"/api/documents/{second}/notice.pdf"));

        Assert.All(fetched, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var numbers = new[] { first, second }.Select(id => SequenceOf(NoticesAsync(a, id).Result.Single().GetProperty("number").GetString()!)).Order().ToList();
        Assert.Equal(numbers[0] + 1, numbers[1]);
        Assert.Equal(
            await App.ScalarAsync("SELECT count(*) FROM OfficialNotices WHERE Kind = 'rectification-order'"),
            await App.ScalarAsync("SELECT max(Sequence) FROM OfficialNotices WHERE Kind = 'rectification-order'"));
        Assert.Equal(
            await App.ScalarAsync("SELECT LastNumber FROM NoticeCounters WHERE Kind = 'rectification-order'"),
            await App.ScalarAsync("SELECT max(Sequence) FROM OfficialNotices WHERE Kind = 'rectification-order'"));
        Assert.Equal(1, await App.ScalarAsync($"SELECT count(*) FROM OfficialNotices WHERE DocumentId = '{first.ToString().ToUpperInvariant()}'"));
    }

    [Fact]
    public async Task VerifyPage_SaysStillTheIssuedFile_ThenAltered_AfterTheStoredFileIsChanged()
    {
        var id = await IssuedOrderAsync("一般", "安全出口指示灯损坏整改通知");
        var client = await App.ClientForAsync("wangqiang");
        _ = await client.GetByteArrayAsync($"/api/documents/{id}/notice.pdf");
        var notice = (await NoticesAsync(client, id)).Single();
        var verifyPath = new Uri(notice.GetProperty("verifyUrl").GetString()!).AbsolutePath;
        var anonymous = App.CreateClient();

        var before = WebUtility.HtmlDecode(await anonymous.GetStringAsync(verifyPath));
        var path = StoredPath(notice.GetProperty("sha256").GetString()!);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^20] ^= 0x20;
        await File.WriteAllBytesAsync(path, bytes);
        var after = WebUtility.HtmlDecode(await anonymous.GetStringAsync(verifyPath));
        var unknown = await anonymous.GetAsync("/verify/NOSUCHCODE0000000000");

        Assert.Contains("data-verdict=\"unchanged\"", before, StringComparison.Ordinal);
        Assert.Contains("签名有效", before, StringComparison.Ordinal);
        Assert.Contains(notice.GetProperty("number").GetString()!, before, StringComparison.Ordinal);
        Assert.Contains(notice.GetProperty("sha256").GetString()!, before, StringComparison.Ordinal);
        Assert.DoesNotContain("甲类仓库", before, StringComparison.Ordinal); // nothing of the document's contents
        Assert.Contains("data-verdict=\"altered\"", after, StringComparison.Ordinal);
        Assert.Contains("已被篡改", after, StringComparison.Ordinal); // "altered", in the page's language
        Assert.Contains("签名无效", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ADraft_Answers409SayingWhy_AndAnUnknownOrMissingKind_400NamingKind_AndAnotherUnit_403()
    {
        var clerk = await App.ClientForAsync("zhaomin");
        var upload = await clerk.PostAsync("/api/libraries/rectification-orders/documents",
            TestFiles.Upload(TestFiles.Pdf("draft"), "o.pdf", TestFiles.OrderMetadata(), "草稿整改通知"));
        var draft = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var major = await IssuedOrderAsync("重大", "储罐区重大隐患整改通知", listed: true);

        var conflict = await clerk.GetAsync($"/api/documents/{draft}/notice.pdf?kind=rectification-order");
        var unknownKind = await clerk.GetAsync($"/api/documents/{major}/notice.pdf?kind=nonsense");
        var wrongLibrary = await clerk.GetAsync($"/api/documents/{major}/notice.pdf?kind=plan-publication");
        var twoKinds = await clerk.GetAsync($"/api/documents/{major}/notice.pdf");
        var otherUnit = await (await App.ClientForAsync("luohong")).GetAsync($"/api/documents/{major}/notice.pdf?kind=listed-supervision");
        var listed = await clerk.GetAsync($"/api/documents/{major}/notice.pdf?kind=listed-supervision");

        var problem = await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);
        Assert.Contains("尚未审批下达", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var bad in new[] { unknownKind, wrongLibrary, twoKinds })
        {
            var error = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
            Assert.True(error.GetProperty("errors").TryGetProperty("kind", out _), error.ToString());
        }

        Assert.Equal(HttpStatusCode.Forbidden, otherUnit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var notices = await NoticesAsync(clerk, major);
        Assert.Equal(["listed-supervision", "rectification-order"], notices.Select(n => n.GetProperty("kind").GetString()).Order());
        Assert.Matches(@"^安办督〔\d{4}〕\d+号$", notices.Single(n => n.GetProperty("kind").GetString() == "listed-supervision").GetProperty("number").GetString());
    }

    /// <summary>An order approved by the safety head (and, for 重大, listed by the leader in charge): 已下达.</summary>
    private async Task<Guid> IssuedOrderAsync(string grade, string title, bool listed = false)
    {
        var metadata = new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "储罐区静电接地失效", location = "甲类仓库东侧", grade,
            legalBasis = "《安全生产法》第三十六条", deadline = "2027-06-30", inspector = "wujie",
        };
        var id = await Driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", metadata, title);
        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        if (listed)
        {
            await Driver.DecideAsync("liuhua", id, "approve", "同意挂牌督办");
        }

        return id;
    }

    private static async Task<List<JsonElement>> NoticesAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/notices")).EnumerateArray().ToList();

    private static int SequenceOf(string number) => int.Parse(OrderNumber().Match(number).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    private string StoredPath(string sha256) => Path.Combine(App.FilesDirectory, sha256[..2], sha256[2..4], sha256);

    internal static bool Verifies(byte[] content, byte[] signature)
    {
        try
        {
            var signed = new CmsSignedData(new CmsProcessableByteArray(content), signature);
            var certificates = signed.GetCertificates();
            var signers = signed.GetSignerInfos().GetSigners();
            return signers.Count > 0 && signers.All(s =>
                certificates.EnumerateMatches(s.SignerID).OfType<X509Certificate>().FirstOrDefault() is { } certificate && s.Verify(certificate));
        }
        catch (CmsException)
        {
            return false;
        }
    }
}
