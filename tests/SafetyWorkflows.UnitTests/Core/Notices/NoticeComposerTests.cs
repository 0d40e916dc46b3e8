using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Notices;
using SafetyWorkflows.UnitTests.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Notices;

public sealed class NoticeComposerTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 12, 31, 17, 30, 0, TimeSpan.Zero); // 1 January 2027 in China

    private static readonly Dictionary<string, string> Names = new()
    {
        ["xiangnan-chemical"] = "湘南化工贸易有限公司", ["qingshan-village"] = "青山村", ["wujie"] = "吴杰",
    };

    [Fact]
    public void Compose_RectificationOrder_CarriesTitleNumberAddresseeBodyAndEveryDeciderWithTheirImage()
    {
        var order = Order("重大");
        var decisions = new[]
        {
            new NoticeDecision("安办审批整改通知", "wangqiang", "王强", "approve", IssuedAt.AddHours(-3)),
            new NoticeDecision("重大隐患挂牌督办", "liuhua", "刘华", "approve", IssuedAt.AddHours(-1)),
        };
        var image = new byte[] { 1, 2, 3 };

        var content = NoticeComposer.Compose(NoticeKinds.Find(NoticeKinds.RectificationOrder)!, order, "镇安全生产委员会办公室",
            "安办责改〔2027〕3号", decisions, new Dictionary<string, byte[]> { ["liuhua"] = image }, Names, IssuedAt, "https://x/verify/ABC");

        Assert.Equal("责令限期整改指令书", content.Title);
        Assert.Equal("安办责改〔2027〕3号", content.Number);
        Assert.Equal("湘南化工贸易有限公司", content.Addressee);
        Assert.Contains(content.Paragraphs, p => p.Contains("储罐区静电接地失效", StringComparison.Ordinal) && p.Contains("甲类仓库东侧", StringComparison.Ordinal));
        Assert.Contains(content.Paragraphs, p => p.Contains("于2027-06-30前整改完毕", StringComparison.Ordinal) && p.Contains("《安全生产法》第三十六条", StringComparison.Ordinal));
        Assert.Contains("检查人：吴杰", content.Paragraphs);
        Assert.Equal(["王强", "刘华"], content.Signatures.Select(s => s.Name));
        Assert.Equal("2027-01-01 00:30", content.Signatures[1].DecidedAt); // China time
        Assert.Null(content.Signatures[0].Image);
        Assert.Same(image, content.Signatures[1].Image);
        Assert.Equal("2027年1月1日", content.IssuedOn);
        Assert.Equal("https://x/verify/ABC", content.VerifyUrl);
    }

    [Fact]
    public void Compose_ResponsibilityLetter_NamesBothPartiesAndWhoSignedForEach()
    {
        var letter = Document.Upload(SeededLibraries.ResponsibilityLetter, "2027年度青山村责任书", "qingshan-village",
            """{"counterpartyUnit":"qingshan-village","year":2027,"counterpartyKind":"村(社区)"}""", DocumentBuilder.File("l"), "zhaomin", IssuedAt);
        var decisions = new[]
        {
            new NoticeDecision("党委书记、镇长会签", "sunli", "孙立", "approve", IssuedAt.AddDays(-2)),
            new NoticeDecision("签订单位负责人签字", "yangshan", "杨山", "sign", IssuedAt.AddDays(-1)),
        };

        var content = NoticeComposer.Compose(NoticeKinds.Find(NoticeKinds.ResponsibilityLetter)!, letter, "镇安全生产委员会办公室",
            "安办责〔2027〕1号", decisions, new Dictionary<string, byte[]>(), Names, IssuedAt, "https://x/verify/L");

        Assert.Equal("安全生产目标责任书", content.Title);
        Assert.Equal(new NoticeParty("甲方", "镇安全生产委员会办公室", "孙立", "2026年12月30日"), content.Parties[0]);
        Assert.Equal(new NoticeParty("乙方", "青山村", "杨山", "2026年12月31日"), content.Parties[1]);
        Assert.Contains(content.Paragraphs, p => p.Contains("2027年1月1日至2027年12月31日", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_PlanPublication_PublishesThePlanFromItsPublicationDate_ToEveryUnitConcerned()
    {
        var plan = Document.Upload(SeededLibraries.EmergencyPlan, "湘南化工危险化学品泄漏专项应急预案", "xiangnan-chemical",
            """{"ownerUnit":"xiangnan-chemical","planType":"专项应急预案","riskClass":"高风险","publishedOn":"2026-12-20"}""",
            DocumentBuilder.File("p"), "zhaomin", IssuedAt);
        var decisions = new[] { new NoticeDecision("主要负责人签署公布", "heping", "何平", "sign", IssuedAt) };

        var content = NoticeComposer.Compose(NoticeKinds.Find(NoticeKinds.PlanPublication)!, plan, "镇安全生产委员会办公室",
            "安办预〔2027〕2号", decisions, new Dictionary<string, byte[]>(), Names, IssuedAt, "https://x/verify/P");

        Assert.Equal("应急预案公布通知", content.Title);
        Assert.Equal("各有关单位", content.Addressee);
        Assert.Contains(content.Paragraphs, p => p.Contains("《湘南化工危险化学品泄漏专项应急预案》", StringComparison.Ordinal)
            && p.Contains("编制单位：湘南化工贸易有限公司", StringComparison.Ordinal) && p.Contains("自2026-12-20起施行", StringComparison.Ordinal));
        Assert.Equal("何平", Assert.Single(content.Signatures).Name);
    }

    [Theory]
    [InlineData("安办责改", 2026, 7, "安办责改〔2026〕7号")]
    [InlineData("衡南安委办", 2027, 120, "衡南安委办〔2027〕120号")]
    public void FormatNumber_IsAgencyCodeYearInTortoiseBracketsAndNumber(string code, int year, int sequence, string expected) =>
        Assert.Equal(expected, OfficialNotice.FormatNumber(code, year, sequence));

    [Fact]
    public void WhyNot_RefusesAnUnissuedOrder_AndListsTheMajorHazardsSecondKind()
    {
        var general = Order("一般");
        var major = Order("重大");

        var draft = NoticeKinds.WhyNot(NoticeKinds.Find(NoticeKinds.RectificationOrder)!, major);
        major.Submit(IssuedAt);
        major.Approve("wangqiang", IssuedAt);

        Assert.Contains("尚未审批下达", draft, StringComparison.Ordinal);
        Assert.Null(NoticeKinds.WhyNot(NoticeKinds.Find(NoticeKinds.RectificationOrder)!, major));
        Assert.Equal([NoticeKinds.RectificationOrder], NoticeKinds.ForLibrary(general).Select(k => k.Key));
        Assert.Equal([NoticeKinds.RectificationOrder, NoticeKinds.ListedSupervision], NoticeKinds.ForLibrary(major).Select(k => k.Key));
        Assert.Equal("kind", Assert.Throws<InputValidationException>(() => NoticeKinds.Resolve(null, major)).Field);
        Assert.Equal(NoticeKinds.RectificationOrder, NoticeKinds.Resolve(null, general).Key);
        Assert.Equal("kind", Assert.Throws<InputValidationException>(() => NoticeKinds.Resolve(NoticeKinds.PlanPublication, general)).Field);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 44, 0, 0, 0, 80 }, "image/png", 300, 80)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0, 60, 0, 200, 3, 0, 0 }, "image/jpeg", 200, 60)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, null, 0, 0)]
    public void Sniff_ReadsTypeAndPixelSizeFromTheHeader(byte[] bytes, string? type, int width, int height) =>
        Assert.Equal((type, width, height), SignatureImages.Sniff(bytes));

    private static Document Order(string grade) => Document.Upload(SeededLibraries.RectificationOrder, "甲类仓库静电接地整改通知", "xiangnan-chemical",
        $$"""{"inspectedUnit":"xiangnan-chemical","hazardDescription":"储罐区静电接地失效","location":"甲类仓库东侧","grade":"{{grade}}","legalBasis":"《安全生产法》第三十六条","deadline":"2027-06-30","inspector":"wujie"}""",
        DocumentBuilder.File("o"), "zhaomin", IssuedAt);
}
