using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notices;

/// <summary>Each official's signature image: registered through /api/me/signature, stamped on the notices of their decisions.</summary>
public sealed class SignatureImageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task PutGetDelete_KeepsTheCallersOwnImage_AndAudits()
    {
        var client = await App.ClientForAsync("liuhua");
        var other = await App.ClientForAsync("sunli");
        var png = TestFiles.Photo(20, 20, 160, size: 64);

        var put = await client.PutAsync("/api/me/signature", Form(png, "sign.png"));
        var got = await client.GetAsync("/api/me/signature");
        var othersNone = await other.GetAsync("/api/me/signature");
        var deleted = await client.DeleteAsync("/api/me/signature");
        var gone = await client.GetAsync("/api/me/signature");

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal("image/png", got.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await got.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NoContent, othersNone.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        Assert.Equal(1, await App.ScalarAsync("SELECT count(*) FROM AuditEntries WHERE Action = 'signature.set' AND Actor = 'liuhua'"));
        Assert.Equal(1, await App.ScalarAsync("SELECT count(*) FROM AuditEntries WHERE Action = 'signature.delete' AND Actor = 'liuhua'"));
    }

    [Fact]
    public async Task BadImages_Answer400NamingFile()
    {
        var client = await App.ClientForAsync("liuhua");
        var tooLarge = new byte[600 * 1024];
        TestFiles.Photo(1, 2, 3).CopyTo(tooLarge, 0);
        var truncated = TestFiles.Png(); // a PNG header that no decoder can read (1×1 and no image data)
        var cases = new[]
        {
            Form(Encoding.UTF8.GetBytes("not a picture"), "sign.png"),
            Form(tooLarge, "big.png"),
            Form(truncated, "tiny.png"),
            Form(TestFiles.Pdf("x"), "sign.pdf"),
            new MultipartFormDataContent { { new StringContent("x"), "other" } },
        };

        foreach (var form in cases)
        {
            var response = await client.PutAsync("/api/me/signature", form);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _), problem.ToString());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync("/api/me/signature")).StatusCode);
    }

    [Fact]
    public async Task TheApproversSignatureImage_IsStampedOnTheNotice_AndNoImageWithoutOne()
    {
        var head = await App.ClientForAsync("wangqiang");
        (await head.PutAsync("/api/me/signature", Form(TestFiles.Photo(10, 10, 10, size: 80), "sign.png"))).EnsureSuccessStatusCode();
        var driver = new ApprovalDriver(App);
        var metadata = new
        {
            inspectedUnit = "hongyun-fireworks", hazardDescription = "药物储存超量", location = "成品仓库", grade = "一般", deadline = "2027-03-01",
        };
        var stamped = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", metadata, "成品仓库超量储存整改通知");
        await driver.DecideAsync("wangqiang", stamped, "approve", "同意");
        var withImage = await head.GetByteArrayAsync($"/api/documents/{stamped}/notice.pdf");
        (await head.DeleteAsync("/api/me/signature")).EnsureSuccessStatusCode();
        var plain = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", metadata, "成品仓库通道整改通知");
        await driver.DecideAsync("wangqiang", plain, "approve", "同意");

        var withoutImage = await head.GetByteArrayAsync($"/api/documents/{plain}/notice.pdf");

        Assert.Contains("/Subtype/Image", Encoding.Latin1.GetString(withImage), StringComparison.Ordinal);
        Assert.DoesNotContain("/Subtype/Image", Encoding.Latin1.GetString(withoutImage), StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Form(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };
}
