using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Notices;

/// <summary>One kind of official notice (公文): which library it is made from and what it is called.</summary>
public sealed record NoticeKind(string Key, string LibraryKey, string TitleZh, string TitleEn, string DefaultAgencyCode);

/// <summary>
/// The notices the office issues, and when a document may have one: an issued rectification order its 责令限期整改指令书
/// (a 重大 one also its 挂牌督办通知书), a signed letter the 责任书 with both parties, a published plan its 公布 notice.
/// </summary>
public static class NoticeKinds
{
    public const string RectificationOrder = "rectification-order";
    public const string ListedSupervision = "listed-supervision";
    public const string ResponsibilityLetter = "responsibility-letter";
    public const string PlanPublication = "plan-publication";

    public static readonly IReadOnlyList<NoticeKind> All =
    [
        new(RectificationOrder, Libraries.RectificationOrders, "责令限期整改指令书", "Order to rectify within a time limit", "安办责改"),
        new(ListedSupervision, Libraries.RectificationOrders, "重大事故隐患挂牌督办通知书", "Notice of listed supervision of a major hazard", "安办督"),
        new(ResponsibilityLetter, Libraries.ResponsibilityLetters, "安全生产目标责任书", "Work-safety responsibility letter", "安办责"),
        new(PlanPublication, Libraries.EmergencyPlans, "应急预案公布通知", "Notice publishing an emergency plan", "安办预"),
    ];

    public static NoticeKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    /// <summary>The kinds a document of its library can have at all (whatever its state).</summary>
    public static IReadOnlyList<NoticeKind> ForLibrary(Document document) =>
        All.Where(k => k.LibraryKey == document.LibraryKey && (k.Key != ListedSupervision || IsMajorHazard(document))).ToList();

    /// <summary>Null when the document may have this notice now, else why not (zh-CN and English, for a 409).</summary>
    public static string? WhyNot(NoticeKind kind, Document document)
    {
        if (kind.LibraryKey != document.LibraryKey)
        {
            return $"{kind.TitleZh}只能由{LibraryName(kind.LibraryKey)}生成 (a {kind.TitleEn} is made from the {kind.LibraryKey} library only).";
        }

        var status = document.Status;
        return kind.Key switch
        {
            RectificationOrder when status is DocumentStatus.Draft or DocumentStatus.Pending or DocumentStatus.Rejected =>
                $"整改通知尚未审批下达（当前：{DocumentStages.Words(DocumentStages.Of(document))}），不能出具指令书 " +
                $"(the order has not been issued yet: it is {DocumentStages.Words(DocumentStages.Of(document), english: true)}).",
            ListedSupervision when !IsMajorHazard(document) =>
                "只有重大隐患才挂牌督办 (only a major (重大) hazard is listed for supervision).",
            ListedSupervision when status is DocumentStatus.Draft or DocumentStatus.Pending or DocumentStatus.Rejected =>
                $"整改通知尚未审批下达（当前：{DocumentStages.Words(DocumentStages.Of(document))}），不能出具挂牌督办通知书 " +
                $"(the order has not been issued yet: it is {DocumentStages.Words(DocumentStages.Of(document), english: true)}).",
            ResponsibilityLetter when status is not (DocumentStatus.Signed or DocumentStatus.Closed or DocumentStatus.Archived) =>
                $"责任书尚未签订（当前：{DocumentStages.Words(DocumentStages.Of(document))}），双方签字后才能出具 " +
                $"(the letter is not signed yet: it is {DocumentStages.Words(DocumentStages.Of(document), english: true)}).",
            PlanPublication when status is not (DocumentStatus.Published or DocumentStatus.Closed or DocumentStatus.Archived) =>
                $"预案尚未签署公布（当前：{DocumentStages.Words(DocumentStages.Of(document))}），不能出具公布通知 " +
                $"(the plan is not published yet: it is {DocumentStages.Words(DocumentStages.Of(document), english: true)}).",
            _ => null,
        };
    }

    /// <summary>The kind a request names, or the document's only kind when it names none (400 naming <c>kind</c> otherwise).</summary>
    public static NoticeKind Resolve(string? key, Document document)
    {
        var kinds = ForLibrary(document);
        if (string.IsNullOrWhiteSpace(key))
        {
            return kinds.Count == 1 ? kinds[0] : throw new InputValidationException("kind",
                kinds.Count == 0
                    ? "该文档没有可出具的公文 (this document has no notice kind)."
                    : $"请指定公文种类，可用: {string.Join(", ", kinds.Select(k => k.Key))} (name the kind: {string.Join(", ", kinds.Select(k => k.Key))}).");
        }

        var kind = Find(key) ?? throw new InputValidationException("kind",
            $"公文种类“{key}”不存在，可用: {string.Join(", ", All.Select(k => k.Key))} (unknown kind '{key}').");
        if (kind.LibraryKey != document.LibraryKey)
        {
            throw new InputValidationException("kind", WhyNot(kind, document)!);
        }

        return kind;
    }

    public static bool IsMajorHazard(Document document) =>
        document.LibraryKey == Libraries.RectificationOrders && Metadata.Text(document.MetadataJson, "grade") == "重大";

    /// <summary>The seeded names of the three libraries notices are issued from (a message's words, not the catalog's labels).</summary>
    private static string LibraryName(string libraryKey) => libraryKey switch
    {
        Libraries.ResponsibilityLetters => "安全生产责任书",
        Libraries.EmergencyPlans => "应急预案",
        Libraries.RectificationOrders => "隐患整改通知",
        _ => libraryKey,
    };
}

/// <summary>Reads one field of a document's metadata JSON as text (numbers as written), or null.</summary>
public static class Metadata
{
    public static string? Text(string metadataJson, string key)
    {
        using var json = System.Text.Json.JsonDocument.Parse(metadataJson);
        if (!json.RootElement.TryGetProperty(key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => value.GetString(),
            System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }
}
