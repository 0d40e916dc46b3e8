using SafetyWorkflows.Core.Board;

namespace SafetyWorkflows.Infrastructure.Exports;

/// <summary>The columns of the hazard exports, as the office's forms name them.</summary>
public static class HazardSheets
{
    public const string LedgerSheet = "隐患排查治理台账";

    /// <summary>隐患排查治理台账. 整改措施 has no metadata column yet: the cell stays empty.</summary>
    public static readonly IReadOnlyList<XlsxColumn<HazardLedgerRow>> Ledger =
    [
        new("序号", r => r.Number, 6),
        new("排查时间", r => r.FoundOn, 12),
        new("单位", r => r.Unit, 28),
        new("隐患描述", r => r.Description, 40),
        new("部位", r => r.Location, 18),
        new("等级", r => r.Grade, 8),
        new("整改措施", r => r.Measures, 24),
        new("整改期限", r => r.Deadline, 12),
        new("责任人", r => r.Responsible, 10),
        new("整改完成时间", r => r.RectifiedOn, 14),
        new("复查人", r => r.Reinspector, 10),
        new("销号时间", r => r.ClosedOn, 12),
        new("状态", r => r.Stage, 10),
    ];

    /// <summary>One line of the statistics sheet: which grouping it belongs to (村(社区), 行业领域, 合计) and its figures.</summary>
    public sealed record StatisticsRow(string Group, HazardStatisticsLine Line);

    public static readonly IReadOnlyList<XlsxColumn<StatisticsRow>> Statistics =
    [
        new("分类", r => r.Group, 10),
        new("名称", r => r.Line.Name, 20),
        new("排查隐患数", r => r.Line.Found, 10),
        new("一般隐患", r => r.Line.General, 10),
        new("重大隐患", r => r.Line.Major, 10),
        new("已整改", r => r.Line.Closed, 10),
        new("按期整改", r => r.Line.ClosedOnTime, 10),
        new("整改率(%)", r => r.Line.Rate, 10),
        new("挂牌督办", r => r.Line.Listed, 10),
        new("逾期未整改", r => r.Line.Overdue, 10),
    ];

    public static IEnumerable<StatisticsRow> StatisticsRows(HazardStatisticsView view) =>
        view.ByVillage.Select(l => new StatisticsRow("村(社区)", l))
            .Concat(view.ByIndustry.Select(l => new StatisticsRow("行业领域", l)))
            .Append(new StatisticsRow("合计", view.Total));

    public static string StatisticsFileName(HazardStatisticsView view, string? suffix = null) =>
        $"{view.Title}{(suffix is null ? "" : "-" + suffix)}.xlsx";
}
