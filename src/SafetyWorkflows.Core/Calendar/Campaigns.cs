using System.Globalization;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Core.Calendar;

/// <summary>A holiday inspection campaign (节前安全生产大检查) and the day it opens.</summary>
public sealed record CampaignOpening(string Key, string Name, string NameEn, DateOnly OpensOn, DateOnly HolidayStarts)
{
    /// <summary>The campaign's stable id for one year, e.g. <c>qingming-2026</c>.</summary>
    public string Id => $"{Key}-{HolidayStarts.Year.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The plan's holiday campaigns: inspections open a number of working days before 元旦, 春节, 清明, 五一, 安全生产月 (1 June)
/// and 十一. 春节 and 清明 move each year and come from the calendar; the fixed-date ones are known for any year.
/// </summary>
public static class HolidayCampaigns
{
    private static readonly (string Key, string Name, string CalendarName, string NameEn, int Month, int Day)[] Kinds =
    [
        ("new-year", "元旦", "元旦", "New Year's Day", 1, 1),
        ("spring-festival", "春节", "春节", "Spring Festival", 0, 0),
        ("qingming", "清明", "清明节", "Qingming", 0, 0),
        ("labour-day", "五一", "劳动节", "Labour Day", 5, 1),
        ("safety-month", "安全生产月", "", "Work Safety Month", 6, 1),
        ("national-day", "十一", "国庆节", "National Day", 10, 1),
    ];

    /// <summary>Every campaign of <paramref name="years"/> with its opening day (holiday start minus <paramref name="leadWorkingDays"/>).</summary>
    public static IReadOnlyList<CampaignOpening> Schedule(WorkingCalendar calendar, IEnumerable<int> years, int leadWorkingDays)
    {
        var result = new List<CampaignOpening>();
        foreach (var year in years)
        {
            foreach (var kind in Kinds)
            {
                var period = calendar.Periods.FirstOrDefault(p => p.Name == kind.CalendarName && p.From.Year == year);
                DateOnly? starts = period?.From ?? (kind.Month > 0 ? new DateOnly(year, kind.Month, kind.Day) : null);
                if (starts is { } day)
                {
                    result.Add(new CampaignOpening(kind.Key, kind.Name, kind.NameEn, calendar.AddWorkingDays(day, -leadWorkingDays).Date, day));
                }
            }
        }

        return result.OrderBy(c => c.OpensOn).ToList();
    }

    /// <summary>The quarter of a day as the office writes it: 2026年第一季度.</summary>
    public static string QuarterWords(DateOnly day) =>
        $"{day.Year.ToString(CultureInfo.InvariantCulture)}年第{"一二三四"[(day.Month - 1) / 3]}季度";

    /// <summary>
    /// The campaign's title as the office writes it: 2026年春节前安全生产大检查, 2026年国庆节前…, 2026年“安全生产月”期间….
    /// </summary>
    public static string Title(CampaignOpening campaign)
    {
        var year = campaign.HolidayStarts.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var when = campaign.Key switch
        {
            "new-year" => "元旦前",
            "spring-festival" => "春节前",
            "qingming" => "清明节前",
            "labour-day" => "“五一”劳动节前",
            "safety-month" => "“安全生产月”期间",
            "national-day" => "国庆节前",
            _ => campaign.Name + "前",
        };
        return $"{year}年{when}安全生产大检查";
    }

    /// <summary>The campaigns open on <paramref name="today"/> (opened and not yet started).</summary>
    public static IReadOnlyList<CampaignOpening> OpenOn(WorkingCalendar calendar, DateOnly today, int leadWorkingDays) =>
        Schedule(calendar, [today.Year, today.Year + 1], leadWorkingDays).Where(c => c.OpensOn <= today && today < c.HolidayStarts).ToList();

    /// <summary>Moving holidays (春节, 清明) of <paramref name="year"/> the calendar cannot place because it does not cover that year.</summary>
    public static IReadOnlyList<string> Unplaceable(WorkingCalendar calendar, int year) =>
        calendar.Covers(year) ? [] : Kinds.Where(k => k.Month == 0).Select(k => k.Name).ToList();
}

/// <summary>A clock of an emergency plan: the next drill (演练) or evaluation (评估).</summary>
public sealed record PlanClock(string Kind, DateOnly DueOn, string Rule);

/// <summary>
/// Drill and evaluation clocks from an emergency plan's metadata: on-site procedures (现场处置方案) drill every 6 months,
/// comprehensive and special plans yearly, the township's own plans every 2 years; evaluation every 3 years from
/// publication unless <c>nextEvaluationDue</c> says otherwise. Drills count from <c>lastDrill</c>, else from publication.
/// </summary>
public static class PlanClocks
{
    public const string Drill = "drill";
    public const string Evaluation = "evaluation";

    public static IReadOnlyList<PlanClock> For(string metadataJson, string townUnitId)
    {
        var metadata = JsonNode.Parse(metadataJson) as JsonObject ?? [];
        var planType = Text(metadata, "planType");
        var owner = Text(metadata, "ownerUnit");
        var published = Date(metadata, "publishedOn");
        var lastDrill = Date(metadata, "lastDrill");
        var clocks = new List<PlanClock>();
        var (months, rule) = owner == townUnitId
            ? (24, "乡镇预案每 2 年至少演练一次 (township plans: every 2 years)")
            : planType == "现场处置方案"
                ? (6, "现场处置方案每半年演练一次 (on-site procedures: every 6 months)")
                : (12, "综合/专项预案每年演练一次 (comprehensive and special plans: yearly)");
        if ((lastDrill ?? published) is { } from)
        {
            clocks.Add(new PlanClock(Drill, from.AddMonths(months), rule));
        }

        if (Date(metadata, "nextEvaluationDue") is { } evaluation)
        {
            clocks.Add(new PlanClock(Evaluation, evaluation, "预案元数据“下次评估” (the plan's next evaluation date)"));
        }
        else if (published is { } publishedOn)
        {
            clocks.Add(new PlanClock(Evaluation, publishedOn.AddYears(3), "预案每 3 年评估一次 (evaluation every 3 years)"));
        }

        return clocks;
    }

    private static string? Text(JsonObject metadata, string name) => metadata[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateOnly? Date(JsonObject metadata, string name) =>
        Text(metadata, name) is { Length: >= 10 } text && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
