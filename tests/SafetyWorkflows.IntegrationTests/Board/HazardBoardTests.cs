using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Board;

/// <summary>
/// The hazard board, its ledger export and the quarterly statistics over orders driven through the shipped chain on a
/// fake clock (Monday 2 March 2026, 09:00 China time): A 重大 at 湘南化工 (柳塘村, 危化品), listed by 刘华, due 20 March;
/// B 一般 at 鸿运烟花 (双桥村, 烟花爆竹), due 4 March; C 一般 at 花桥完小 (青山村, 学校), due 27 February; D a draft at 花桥完小;
/// E 一般 at 花桥完小, rectified, re-inspected by 吴杰 and struck off.
/// </summary>
public sealed class HazardBoardTests(HazardBoardTests.Orders orders) : IClassFixture<HazardBoardTests.Orders>
{
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    private static readonly string[] LedgerHeader =
        ["序号", "排查时间", "单位", "隐患描述", "部位", "等级", "整改措施", "整改期限", "责任人", "整改完成时间", "复查人", "销号时间", "状态"];

    [Fact]
    public async Task Board_ListsTheOpenOrders_WithTheirLights_ListingAndCounts()
    {
        var board = await (await orders.App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/board/hazards");

        var items = board.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("documentId").GetGuid());
        Assert.Equal(new[] { orders.A, orders.B, orders.C }.Order(), items.Keys.Order());
        Assert.Equal(("red", -3, "2026-02-27"), Light(items[orders.C]));
        Assert.Equal(("yellow", 2, "2026-03-04"), Light(items[orders.B]));
        Assert.Equal(("green", 18, "2026-03-20"), Light(items[orders.A]));
        Assert.True(items[orders.A].GetProperty("listed").GetBoolean());
        Assert.Equal("刘华", items[orders.A].GetProperty("holder").GetString());
        Assert.False(items[orders.B].GetProperty("listed").GetBoolean());
        Assert.Equal(("湘南化工贸易有限公司", "柳塘村", "危化品", "重大"), Place(items[orders.A]));
        Assert.Equal(("花桥完全小学（花桥完小）", "青山村", "学校", "一般"), Place(items[orders.C]));
        Assert.Equal(("pending", "issued"), (items[orders.B].GetProperty("stage").GetString(), items[orders.C].GetProperty("stage").GetString()));
        Assert.Equal([orders.C, orders.B, orders.A], board.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("documentId").GetGuid()));
        Assert.Equal(
            ["liutang-village:1:0/0/1", "qingshan-village:1:1/0/0", "shuangqiao-village:1:0/1/0"],
            Counts(board.GetProperty("byVillage")).Order(StringComparer.Ordinal));
        Assert.Equal(["危化品:1:0/0/1", "学校:1:1/0/0", "烟花爆竹:1:0/1/0"], Counts(board.GetProperty("byIndustry")).Order(StringComparer.Ordinal));
        var trend = board.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(12, trend.Count);
        Assert.Equal(("2025-04", "2026-03"), (trend[0].GetProperty("month").GetString(), trend[^1].GetProperty("month").GetString()));
        Assert.Equal((4, 1), (trend[^1].GetProperty("found").GetInt32(), trend[^1].GetProperty("closed").GetInt32()));
        Assert.All(trend.Take(11), m => Assert.Equal((0, 0), (m.GetProperty("found").GetInt32(), m.GetProperty("closed").GetInt32())));
    }

    [Fact]
    public async Task Board_OfAVillageHead_ShowsTheirVillageOnly_AndOfAUnitPrincipal_TheirUnit()
    {
        var village = await (await orders.App.ClientForAsync("yangshan")).GetFromJsonAsync<JsonElement>("/api/board/hazards");
        var unit = await (await orders.App.ClientForAsync("heping")).GetFromJsonAsync<JsonElement>("/api/board/hazards");
        var otherVillage = await (await orders.App.ClientForAsync("liangjun")).GetFromJsonAsync<JsonElement>("/api/board/hazards");

        Assert.Equal([orders.C], village.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("documentId").GetGuid()));
        Assert.Equal(["qingshan-village:1:1/0/0"], Counts(village.GetProperty("byVillage")));
        Assert.Equal((2, 1), (village.GetProperty("trend")[11].GetProperty("found").GetInt32(), village.GetProperty("trend")[11].GetProperty("closed").GetInt32()));
        Assert.Equal([orders.A], unit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("documentId").GetGuid()));
        Assert.Equal([orders.B], otherVillage.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("documentId").GetGuid()));
    }

    [Theory]
    [InlineData("linfang")]
    [InlineData("secadmin")]
    public async Task Board_IsClosedToExpertsAndTheSecurityAdministrator(string userName)
    {
        var client = await orders.App.ClientForAsync(userName);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/board/hazards")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/board/hazards/export?format=xlsx")).StatusCode);
    }

    [Fact]
    public async Task LedgerExport_ReadBack_HasTheChineseHeader_AndExactlyTheOrdersThatLeftDraft()
    {
        var response = await (await orders.App.ClientForAsync("wangqiang")).GetAsync("/api/board/hazards/export?format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var rows = await ReadSheetAsync(response);
        Assert.Equal(LedgerHeader, rows[0]);
        Assert.Equal(5, rows.Count);
        var (sheet, styles) = await SheetXmlAsync(response);
        Assert.Contains("state=\"frozen\"", sheet, StringComparison.Ordinal);
        Assert.Contains("autoFilter ref=\"A1:M5\"", sheet, StringComparison.Ordinal);
        Assert.Contains("numFmtId=\"14\"", styles, StringComparison.Ordinal); // the built-in date format: dates are dates, not text
        Assert.Equal([1d, 2d, 3d, 4d], rows.Skip(1).Select(r => Convert.ToDouble(r[0], Invariant)));
        Assert.Equal(["湘南化工储罐区静电接地失效", "鸿运烟花仓库超量储存", "花桥完小食堂燃气管老化", "花桥完小围墙开裂"], rows.Skip(1).Select(r => (string?)r[3]));
        Assert.All(rows.Skip(1), r => Assert.Equal(new DateTime(2026, 3, 2), Assert.IsType<DateTime>(r[1])));
        var closed = rows[4];
        Assert.Equal(("花桥完全小学（花桥完小）", "围墙东段", "一般", null), ((string?)closed[2], (string?)closed[4], (string?)closed[5], closed[6] as string));
        Assert.Equal(new DateTime(2026, 3, 10), Assert.IsType<DateTime>(closed[7]));
        Assert.Equal(("谢云", "吴杰", "已销号"), ((string?)closed[8], (string?)closed[10], (string?)closed[12]));
        Assert.IsType<DateTime>(closed[9]);
        Assert.IsType<DateTime>(closed[11]);
        Assert.Equal(("审批中", null, null), ((string?)rows[2][12], rows[2][10], rows[2][11]));
    }

    [Fact]
    public async Task LedgerExport_OfAVillageHead_HasTheirVillagesRowsOnly()
    {
        var response = await (await orders.App.ClientForAsync("yangshan")).GetAsync("/api/board/hazards/export");

        var rows = await ReadSheetAsync(response);
        Assert.Equal(LedgerHeader, rows[0]);
        Assert.Equal(["花桥完小食堂燃气管老化", "花桥完小围墙开裂"], rows.Skip(1).Select(r => (string?)r[3]));
    }

    [Theory]
    [InlineData("/api/board/hazards/export?format=csv", "format")]
    [InlineData("/api/board/statistics?year=2026&quarter=5", "quarter")]
    [InlineData("/api/board/statistics?year=twenty&quarter=1", "year")]
    [InlineData("/api/board/statistics/export?year=2026&quarter=1&format=pdf", "format")]
    public async Task BadQueries_AnswerProblems_NamingTheField(string url, string field)
    {
        var response = await (await orders.App.ClientForAsync("wangqiang")).GetAsync(url);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task QuarterlyStatistics_AreComputedFromTheOrders_ByVillageAndIndustry()
    {
        var statistics = await (await orders.App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/board/statistics?year=2026&quarter=1");

        Assert.Equal("2026年第一季度隐患排查治理情况统计", statistics.GetProperty("title").GetString());
        Assert.Equal("4 3 1 1 1 25 1 1", Figures(statistics.GetProperty("total")));
        var villages = statistics.GetProperty("byVillage").EnumerateArray().ToDictionary(v => v.GetProperty("key").GetString()!, Figures);
        Assert.Equal("2 2 0 1 1 50 0 1", villages["qingshan-village"]);
        Assert.Equal("1 0 1 0 0 0 1 0", villages["liutang-village"]);
        Assert.Equal("1 1 0 0 0 0 0 0", villages["shuangqiao-village"]);
        var industries = statistics.GetProperty("byIndustry").EnumerateArray().ToDictionary(v => v.GetProperty("key").GetString()!, Figures);
        Assert.Equal("2 2 0 1 1 50 0 1", industries["学校"]);
        var empty = await (await orders.App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>("/api/board/statistics?year=2025&quarter=4");
        Assert.Equal("0 0 0 0 0 0 0 0", Figures(empty.GetProperty("total")));
    }

    [Fact]
    public async Task QuarterlyStatisticsExport_ReadBack_HasTheVillagesIndustriesAndTotal()
    {
        var response = await (await orders.App.ClientForAsync("yangshan")).GetAsync("/api/board/statistics/export?year=2026&quarter=1&format=xlsx");

        var rows = await ReadSheetAsync(response);
        Assert.Equal(["分类", "名称", "排查隐患数", "一般隐患", "重大隐患", "已整改", "按期整改", "整改率(%)", "挂牌督办", "逾期未整改"], rows[0]);
        Assert.Equal([("村(社区)", "青山村"), ("行业领域", "学校"), ("合计", "合计")], rows.Skip(1).Select(r => ((string?)r[0], (string?)r[1])));
        Assert.All(rows.Skip(1), r => Assert.Equal((2d, 1d, 50d), (Convert.ToDouble(r[2], Invariant), Convert.ToDouble(r[5], Invariant), Convert.ToDouble(r[7], Invariant))));
    }

    [Fact]
    public async Task Board_FollowsTheChain_AsItsOrdersAndListingsChange()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        await using var app = Orders.NewApp(clock);
        var driver = new ApprovalDriver(app);
        var head = await app.ClientForAsync("wangqiang");
        var order = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Orders.Order("shitang-quarry", "边坡松动", "北采区", "重大", "2026-03-20"), "石塘采石场边坡松动整改通知");
        var submitted = await OnlyItemAsync(head);

        await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
        var issued = await OnlyItemAsync(head);
        await driver.DecideAsync("liuhua", order, "approve", "挂牌督办");
        var listed = await OnlyItemAsync(head);
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 21, 9, 0, 0, TimeSpan.FromHours(8)));
        var late = await OnlyItemAsync(await app.ClientForAsync("wangqiang")); // a new token: the first one has expired

        Assert.Equal(("pending", false, "green"), submitted);
        Assert.Equal(("issued", false, "green"), issued);
        Assert.Equal(("issued", true, "green"), listed);
        Assert.Equal(("issued", true, "red"), late);
    }

    private static async Task<(string?, bool, string?)> OnlyItemAsync(HttpClient client)
    {
        var item = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/board/hazards")).GetProperty("items").EnumerateArray());
        return (item.GetProperty("stage").GetString(), item.GetProperty("listed").GetBoolean(), item.GetProperty("level").GetString());
    }

    [Fact]
    public async Task TheQuarterlyStatisticsTask_CarriesTheComputedSheet_ForTheVillageHeadToConfirm()
    {
        // An app of its own: the clock moves on to the start of the next quarter.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        await using var app = Orders.NewApp(clock);
        var driver = new ApprovalDriver(app);
        var order = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Orders.Order("huaqiao-primary", "电线私拉乱接", "教学楼二层", "一般", "2026-03-20"), "花桥完小电线私拉乱接整改通知");
        await driver.DecideAsync("wangqiang", order, "approve", "同意下达");
        clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(8)));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ClockJobs>().OpenHazardStatisticsAsync(CancellationToken.None));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.False(await scope.ServiceProvider.GetRequiredService<ClockJobs>().OpenHazardStatisticsAsync(CancellationToken.None));
        }

        var head = await app.ClientForAsync("yangshan");
        var inbox = await head.GetFromJsonAsync<JsonElement>("/api/tasks?state=open");
        var task = inbox.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("step").GetString()!.StartsWith("2026年第一季度", StringComparison.Ordinal))
            .GetProperty("id").GetGuid();
        var files = await head.GetFromJsonAsync<JsonElement>($"/api/tasks/{task}/files");
        var sheet = Assert.Single(files.EnumerateArray());
        Assert.Equal("2026年第一季度隐患排查治理情况统计-青山村.xlsx", sheet.GetProperty("fileName").GetString());
        var rows = await ReadSheetAsync(await head.GetAsync($"/api/tasks/{task}/files/{sheet.GetProperty("id").GetGuid()}/content"));
        Assert.Equal([("村(社区)", "青山村", 1d, 1d), ("行业领域", "学校", 1d, 1d), ("合计", "合计", 1d, 1d)],
            rows.Skip(1).Select(r => ((string?)r[0], (string?)r[1], Convert.ToDouble(r[2], Invariant), Convert.ToDouble(r[9], Invariant))));
        var other = await (await app.ClientForAsync("liangjun")).GetAsync($"/api/tasks/{task}/files/{sheet.GetProperty("id").GetGuid()}/content");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        var confirmed = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "submit", opinion = "核对无误" });
        Assert.True(confirmed.IsSuccessStatusCode, await confirmed.Content.ReadAsStringAsync());
    }

    private static (string?, int, string?) Light(JsonElement item) =>
        (item.GetProperty("level").GetString(), item.GetProperty("daysLeft").GetInt32(), item.GetProperty("deadline").GetString());

    private static (string?, string?, string?, string?) Place(JsonElement item) => (
        item.GetProperty("unit").GetString(), item.GetProperty("village").GetString(), item.GetProperty("industry").GetString(), item.GetProperty("grade").GetString());

    private static List<string> Counts(JsonElement counts) => counts.EnumerateArray().Select(c =>
        $"{c.GetProperty("key").GetString()}:{c.GetProperty("count").GetInt32()}:{c.GetProperty("red").GetInt32()}/{c.GetProperty("yellow").GetInt32()}/{c.GetProperty("green").GetInt32()}").ToList();

    private static readonly string[] FigureNames = ["found", "general", "major", "closed", "closedOnTime", "rate", "listed", "overdue"];

    private static string Figures(JsonElement line) => string.Join(' ', FigureNames
        .Select(name => line.GetProperty(name).GetDecimal().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The first sheet's XML and the styles (frozen pane, auto filter, date formats).</summary>
    private static async Task<(string Sheet, string Styles)> SheetXmlAsync(HttpResponseMessage response)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        static string Read(System.IO.Compression.ZipArchiveEntry entry)
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }

        return (Read(zip.GetEntry("xl/worksheets/sheet1.xml")!), Read(zip.GetEntry("xl/styles.xml")!));
    }

    /// <summary>The sheet as rows of cells (header first), read back with the library that wrote it.</summary>
    private static async Task<List<object?[]>> ReadSheetAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var buffer = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return buffer.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(r => r.Values.ToArray()).ToList();
    }

    /// <summary>The five orders, made once through the API on a fake clock.</summary>
    public sealed class Orders : IAsyncLifetime
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));

        public AppFactory App { get; private set; } = null!;

        public Guid A { get; private set; }

        public Guid B { get; private set; }

        public Guid C { get; private set; }

        public Guid E { get; private set; }

        public async Task InitializeAsync()
        {
            App = NewApp(Clock);
            var driver = new ApprovalDriver(App);
            A = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("xiangnan-chemical", "储罐区静电接地失效", "甲类仓库东侧", "重大", "2026-03-20"), "湘南化工储罐区静电接地失效整改通知");
            await driver.DecideAsync("wangqiang", A, "approve", "同意下达");
            await driver.DecideAsync("liuhua", A, "approve", "挂牌督办");
            Clock.Advance(TimeSpan.FromMinutes(10));
            B = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("hongyun-fireworks", "仓库超量储存", "成品仓库", "一般", "2026-03-04"), "鸿运烟花仓库超量储存整改通知");
            Clock.Advance(TimeSpan.FromMinutes(10));
            C = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("huaqiao-primary", "食堂燃气管老化", "食堂操作间", "一般", "2026-02-27"), "花桥完小食堂燃气管老化整改通知");
            await driver.DecideAsync("wangqiang", C, "approve", "同意下达");
            Clock.Advance(TimeSpan.FromMinutes(10));
            var draft = await (await App.ClientForAsync("zhaomin")).PostAsync("/api/libraries/rectification-orders/documents",
                TestFiles.Upload(TestFiles.Pdf("draft"), "draft.pdf", Order("huaqiao-primary", "草稿隐患", "操场", "一般", "2026-03-31"), "花桥完小草稿"));
            draft.EnsureSuccessStatusCode();
            Clock.Advance(TimeSpan.FromMinutes(10));
            E = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", Order("huaqiao-primary", "围墙开裂", "围墙东段", "一般", "2026-03-10"), "花桥完小围墙开裂整改通知");
            await driver.DecideAsync("wangqiang", E, "approve", "同意下达");
            await driver.DecideAsync("xieyun", E, "sign", "已签收");
            var evidence = Assert.Single(await driver.OpenTasksAsync("xieyun", E));
            await driver.AttachAsync("xieyun", evidence, "整改后.png");
            await driver.DecideAsync("xieyun", E, "submit", "已整改");
            await driver.DecideAsync("wujie", E, "approve", "复查合格");
            Assert.Equal("Closed", await driver.StatusAsync(E));
        }

        public async Task DisposeAsync() => await App.DisposeAsync();

        public static AppFactory NewApp(TimeProvider clock) => new(services: s => s.AddSingleton(clock),
            settings: new Dictionary<string, string> { ["Workflows:TimerPollInterval"] = "30.00:00:00" });

        public static object Order(string unit, string description, string location, string grade, string deadline) => new
        {
            inspectedUnit = unit,
            hazardDescription = (unit == "huaqiao-primary" ? "花桥完小" : unit == "hongyun-fireworks" ? "鸿运烟花" : "湘南化工") + description,
            location,
            grade,
            deadline,
            inspector = "wujie",
        };
    }
}
