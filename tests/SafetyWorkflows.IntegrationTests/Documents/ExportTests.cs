using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>Library exports: the list's filters and sort as a file, the visible columns' labels as the header.</summary>
public sealed class ExportTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task XlsxExport_HasTheChineseHeader_AndExactlyTheFilteredRows_DatesAsDates()
    {
        var tag = "导出" + Guid.NewGuid().ToString("N")[..6];
        await UploadAsync($"{tag} 甲", "重大", "2026-03-01");
        await UploadAsync($"{tag} 乙", "一般", "2026-04-01");
        await UploadAsync($"{tag} 丙", "重大", "2026-02-01");
        var head = await App.ClientForAsync("wangqiang");

        var response = await head.GetAsync(
            $"/api/libraries/rectification-orders/documents/export?format=xlsx&sort=deadline&{Filter("grade", "重大")}&q={Uri.EscapeDataString(tag)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var rows = await ReadAsync(response);

        Assert.Equal(["标题", "状态", "被检查单位", "隐患描述", "隐患部位", "隐患等级", "依据", "整改期限", "检查人", "更新时间", "版本"],
            rows[0].Select(c => c?.ToString() ?? "").ToArray());
        Assert.Equal([$"{tag} 丙", $"{tag} 甲"], rows.Skip(1).Select(r => r[0]?.ToString() ?? "").ToArray());
        Assert.Equal("湘南化工贸易有限公司", rows[1][2]);
        Assert.Equal(new DateTime(2026, 2, 1), Assert.IsType<DateTime>(rows[1][7]));

        // The same list in English: the header speaks English.
        using var english = new HttpRequestMessage(HttpMethod.Get, $"/api/libraries/rectification-orders/documents/export?{Filter("grade", "重大")}&q={Uri.EscapeDataString(tag)}");
        english.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var englishRows = await ReadAsync(await head.SendAsync(english));
        Assert.Equal("Title", englishRows[0][0]);
        Assert.Equal("Deadline", englishRows[0][7]);
        Assert.Equal(3, englishRows.Count);
    }

    [Fact]
    public async Task CsvExport_QuotesAndDefusesCells_AndABadFormatIs400()
    {
        var tag = "导出" + Guid.NewGuid().ToString("N")[..6];
        await UploadAsync($"=HYPERLINK(\"x\") {tag}", "一般", "2026-05-01");
        var head = await App.ClientForAsync("wangqiang");
        var response = await head.GetAsync($"/api/libraries/rectification-orders/documents/export?format=csv&q={Uri.EscapeDataString(tag)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.StartsWith("标题,状态,被检查单位", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"\"'=HYPERLINK(\"\"x\"\") {tag}\",草稿,湘南化工贸易有限公司", lines[1], StringComparison.Ordinal);
        Assert.Contains(",2026-05-01,", lines[1], StringComparison.Ordinal);

        await ProblemAssert.IsProblemAsync(await head.GetAsync("/api/libraries/rectification-orders/documents/export?format=pdf"), HttpStatusCode.BadRequest, "format");
        await ProblemAssert.IsProblemAsync(await head.GetAsync($"/api/libraries/rectification-orders/documents/export?{Filter("grade", "特大")}"),
            HttpStatusCode.BadRequest, "filter[grade]");
    }

    [Fact]
    public async Task Export_ShowsOnlyWhatTheCallerMaySee()
    {
        var tag = "导出" + Guid.NewGuid().ToString("N")[..6];
        await UploadAsync($"{tag} 湘南", "一般", "2026-05-01");
        await UploadAsync($"{tag} 东岳", "一般", "2026-05-01", "dongyue-construction");
        var principal = await App.ClientForAsync("heping"); // 湘南化工's principal
        var rows = await ReadAsync(await principal.GetAsync($"/api/libraries/rectification-orders/documents/export?q={Uri.EscapeDataString(tag)}"));
        Assert.Equal([$"{tag} 湘南"], rows.Skip(1).Select(r => r[0]?.ToString() ?? "").ToArray());
    }

    private static string Filter(string key, string value) => Uri.EscapeDataString($"filter[{key}]") + "=" + Uri.EscapeDataString(value);

    private static async Task<List<object?[]>> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var buffer = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return buffer.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(r => r.Values.ToArray()).ToList();
    }

    private async Task UploadAsync(string title, string grade, string deadline, string unit = "xiangnan-chemical")
    {
        var inspector = await App.ClientForAsync("wujie");
        var response = await inspector.PostAsync("/api/libraries/rectification-orders/documents", TestFiles.Upload(TestFiles.Pdf(title), "order.pdf",
            new { inspectedUnit = unit, hazardDescription = "储罐区静电接地失效", location = "厂区", grade, deadline }, title));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
