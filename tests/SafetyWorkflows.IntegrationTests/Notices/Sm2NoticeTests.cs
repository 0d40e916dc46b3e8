using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Org.BouncyCastle.Cms;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notices;

/// <summary><c>Notices:SigningAlgorithm=Sm2</c>: the installation's key is SM2 and notices are signed SM3withSM2; a signed
/// responsibility letter's 责任书 names both parties and who signed for them.</summary>
public sealed class Sm2NoticeTests
{
    [Fact]
    public async Task ASignedLetter_GetsItsResponsibilityLetter_SignedWithSm2_ThatVerifies()
    {
        await using var app = new AppFactory(settings: new Dictionary<string, string> { ["Notices:SigningAlgorithm"] = "Sm2" });
        var driver = new ApprovalDriver(app);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), "2024年度青山村安全生产目标责任书");
        var pending = await (await app.ClientForAsync("zhaomin")).GetAsync($"/api/documents/{id}/notice.pdf");
        await driver.DecideAsync("wangqiang", id, "approve", "同意");
        await driver.DecideAsync("liuhua", id, "approve", "同意");
        await driver.DecideAsync("zhoujun", id, "approve", "同意");
        await driver.DecideAsync("sunli", id, "approve", "同意");
        await driver.DecideAsync("yangshan", id, "sign", "已签字");
        var client = await app.ClientForAsync("yangshan");

        var pdf = await client.GetByteArrayAsync($"/api/documents/{id}/notice.pdf");
        var signature = await client.GetByteArrayAsync($"/api/documents/{id}/notice.p7s");
        var notice = (await client.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/notices")).EnumerateArray().Single();
        var verify = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync(new Uri(notice.GetProperty("verifyUrl").GetString()!).AbsolutePath));

        var problem = await ProblemAssert.IsProblemAsync(pending, HttpStatusCode.Conflict);
        Assert.Contains("责任书尚未签订", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("responsibility-letter", notice.GetProperty("kind").GetString());
        Assert.Equal("Sm2", notice.GetProperty("signatureAlgorithm").GetString());
        Assert.Matches(@"^安办责〔\d{4}〕1号$", notice.GetProperty("number").GetString());
        Assert.True(NoticeTests.Verifies(pdf, signature));
        var text = PdfText.All(pdf);
        Assert.Contains("安全生产目标责任书", text, StringComparison.Ordinal);
        Assert.Contains("甲方：镇安全生产委员会办公室", text, StringComparison.Ordinal);
        Assert.Contains("负责人签字：孙立", text, StringComparison.Ordinal);
        Assert.Contains("乙方：青山村", text, StringComparison.Ordinal);
        Assert.Contains("负责人签字：杨山", text, StringComparison.Ordinal);
        foreach (var decider in new[] { "王强", "刘华", "周军", "孙立", "杨山" })
        {
            Assert.Contains($"：{decider}", text, StringComparison.Ordinal);
        }

        var signer = new CmsSignedData(new CmsProcessableByteArray(pdf), signature).GetSignerInfos().GetSigners().Single();
        Assert.Equal("1.2.156.10197.1.401", signer.DigestAlgorithmID.Algorithm.Id); // SM3
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "notices", "signing-sm2.pem")));
        Assert.Contains("签名有效", verify, StringComparison.Ordinal);
        Assert.Contains("data-verdict=\"unchanged\"", verify, StringComparison.Ordinal);
        Assert.Contains("(SM2)", verify, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("NOTICE_SAMPLE_DIR") is { Length: > 0 } sample)
        {
            await File.WriteAllBytesAsync(Path.Combine(sample, "letter.pdf"), pdf);
        }
    }
}
