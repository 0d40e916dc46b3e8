using System.Globalization;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Notices;

/// <summary>The words of each notice kind, filled from the document's metadata; pure, so tests read what a PDF will say.</summary>
public static class NoticeComposer
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <param name="names">Display names of units and officials by id / user name (metadata holds ids).</param>
    public static NoticeContent Compose(
        NoticeKind kind, Document document, string authority, string number, IReadOnlyList<NoticeDecision> decisions,
        IReadOnlyDictionary<string, byte[]> signatureImages, IReadOnlyDictionary<string, string> names, DateTimeOffset issuedAt, string verifyUrl)
    {
        string Field(string key) => Metadata.Text(document.MetadataJson, key) ?? "";
        string Name(string id) => names.TryGetValue(id, out var name) ? name : id;

        var signatures = decisions
            .Select(d => new NoticeSignature(d.Step, d.DisplayName, ChinaTime(d.At), signatureImages.GetValueOrDefault(d.UserName)))
            .ToList();
        var version = document.CurrentVersion.ToString();
        var issuedOn = ChinaDate(issuedAt);
        string? addressee = null;
        List<string> paragraphs;
        List<NoticeParty> parties = [];

        switch (kind.Key)
        {
            case NoticeKinds.RectificationOrder:
                addressee = Name(Field("inspectedUnit"));
                paragraphs =
                [
                    $"经检查，你单位{Field("location")}存在下列安全生产事故隐患：{Field("hazardDescription")}。",
                    $"依据{Basis(Field("legalBasis"))}的规定，现责令你单位于{Field("deadline")}前整改完毕，并将整改方案及整改前后照片报送本机关。" +
                    "整改期间应当采取有效的安全防范措施，确保安全；逾期未整改或整改不到位的，依法予以处理。",
                    Inspector(Field("inspector"), Name),
                    $"（依据文书：《{document.Title}》第 {version} 版）",
                ];
                break;
            case NoticeKinds.ListedSupervision:
                addressee = Name(Field("inspectedUnit"));
                paragraphs =
                [
                    $"经检查，你单位{Field("location")}存在重大事故隐患：{Field("hazardDescription")}。",
                    $"根据{Basis(Field("legalBasis"))}和重大事故隐患挂牌督办的有关规定，现对该隐患予以挂牌督办。" +
                    $"请你单位落实整改责任、措施、资金、时限和预案，于{Field("deadline")}前完成整改，整改期间每5个工作日报告一次整改进展；" +
                    "整改完成后报请复查，经复查合格后予以摘牌销号。",
                    $"（依据文书：《{document.Title}》第 {version} 版）",
                ];
                break;
            case NoticeKinds.ResponsibilityLetter:
                var year = Field("year");
                var counterparty = Name(Field("counterpartyUnit"));
                var own = decisions.LastOrDefault(d => d.Action != "sign");
                var theirs = decisions.LastOrDefault(d => d.Action == "sign");
                parties =
                [
                    new("甲方", authority, own?.DisplayName, own is null ? null : ChinaDate(own.At)),
                    new("乙方", counterparty, theirs?.DisplayName, theirs is null ? null : ChinaDate(theirs.At)),
                ];
                paragraphs =
                [
                    $"为落实安全生产责任制，坚持“党政同责、一岗双责、齐抓共管、失职追责”，甲方与乙方签订{year}年度安全生产目标责任书。",
                    $"乙方是本单位安全生产的责任主体，主要负责人对本单位安全生产工作全面负责：建立健全安全生产责任制和规章制度，" +
                    "开展隐患排查治理，按期完成整改，组织应急演练，及时如实报告生产安全事故。",
                    "甲方负责监督检查、指导服务和考核；乙方发生生产安全责任事故或隐患逾期未整改的，按规定追究责任。",
                    $"本责任书有效期自{year}年1月1日至{year}年12月31日，一式两份，甲乙双方各执一份，自双方签字之日起生效。" +
                    $"（依据文书：《{document.Title}》第 {version} 版）",
                ];
                break;
            case NoticeKinds.PlanPublication:
                addressee = "各有关单位";
                var publishedOn = Field("publishedOn") is { Length: > 0 } on ? on : issuedOn;
                paragraphs =
                [
                    $"《{document.Title}》（{Field("planType")}，风险等级：{Field("riskClass")}，编制单位：{Name(Field("ownerUnit"))}）" +
                    $"已经审查批准，现予公布，自{publishedOn}起施行。",
                    "请各有关单位认真组织学习，按照预案要求落实应急组织、队伍、物资和演练，并按规定报应急管理部门备案。",
                    $"（依据文书：第 {version} 版）",
                ];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind.Key, "unknown notice kind");
        }

        return new NoticeContent(authority, kind.TitleZh, number, addressee, paragraphs.Where(p => p.Length > 0).ToList(),
            parties, signatures, issuedOn, verifyUrl, document.Title, version);
    }

    public static string ChinaDate(DateTimeOffset at)
    {
        var china = at.ToOffset(ChinaOffset);
        return string.Create(CultureInfo.InvariantCulture, $"{china.Year}年{china.Month}月{china.Day}日");
    }

    public static string ChinaTime(DateTimeOffset at) =>
        at.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Basis(string legalBasis) => legalBasis.Length > 0 ? legalBasis : "《中华人民共和国安全生产法》";

    private static string Inspector(string userName, Func<string, string> name) => userName.Length > 0 ? $"检查人：{name(userName)}" : "";
}
