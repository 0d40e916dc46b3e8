using System.Globalization;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Board;

/// <summary>One line of the quarterly statistics: a village, an industry or the total.</summary>
public sealed record HazardStatisticsLine(
    string Key, string Name, string NameEn, int Found, int General, int Major, int Closed, int ClosedOnTime, decimal Rate, int Listed, int Overdue);

public sealed record HazardStatisticsView(
    int Year, int Quarter, string Title, DateOnly From, DateOnly To, DateOnly AsOf,
    IReadOnlyList<HazardStatisticsLine> ByVillage, IReadOnlyList<HazardStatisticsLine> ByIndustry, HazardStatisticsLine Total);

/// <summary>
/// 季度隐患排查治理统计, computed from the orders rather than typed in. Of the orders registered in the quarter (found:
/// 一般/重大): closed = struck off (销号) by the end of the quarter, closed on time = on or before their 整改期限, rate =
/// closed / found (0 when none), listed = 挂牌督办, overdue = not closed by the end of the quarter (or today, while it
/// runs) and past the deadline.
/// </summary>
public sealed class HazardStatistics(IHazardLedgerSource source, IOrganisationDirectory directory, TimeProvider clock)
{
    public const string TotalKey = "total";

    /// <summary>Checks the query: year 2000–2100 and quarter 1–4, each error naming its field.</summary>
    public static (int Year, int Quarter) Parse(string? year, string? quarter, DateOnly today)
    {
        var lastQuarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddDays(-1);
        var y = lastQuarter.Year;
        var q = ((lastQuarter.Month - 1) / 3) + 1;
        if (!string.IsNullOrWhiteSpace(year) && (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out y) || y is < 2000 or > 2100))
        {
            throw new InputValidationException("year", "年份须为 2000–2100 的整数 (year must be a whole number from 2000 to 2100).");
        }

        if (!string.IsNullOrWhiteSpace(quarter) && (!int.TryParse(quarter, NumberStyles.None, CultureInfo.InvariantCulture, out q) || q is < 1 or > 4))
        {
            throw new InputValidationException("quarter", "季度须为 1–4 (quarter must be 1, 2, 3 or 4).");
        }

        return (y, q);
    }

    public Task<HazardStatisticsView> ComputeAsync(int year, int quarter, Actor actor, CancellationToken cancellationToken) =>
        ComputeAsync(year, quarter, places => places.VisibleUnits(actor), cancellationToken);

    /// <summary>The statistics of one village (the quarterly task's sheet for its head to confirm).</summary>
    public Task<HazardStatisticsView> ComputeForVillageAsync(int year, int quarter, string villageId, CancellationToken cancellationToken) =>
        ComputeAsync(year, quarter, places => places.VisibleUnits(new Actor("", "", new HashSet<string> { Roles.VillageHead }, villageId)), cancellationToken);

    private async Task<HazardStatisticsView> ComputeAsync(int year, int quarter, Func<HazardPlaces, IReadOnlySet<string>?> scope, CancellationToken cancellationToken)
    {
        var places = new HazardPlaces(await directory.ListUnitsAsync(cancellationToken));
        var records = await source.ListAsync(scope(places), cancellationToken);
        var steps = await source.StepsAsync(full: false, cancellationToken);
        var from = new DateOnly(year, ((quarter - 1) * 3) + 1, 1);
        var to = from.AddMonths(3).AddDays(-1);
        var today = BoardDates.ChinaDay(clock.GetUtcNow());
        var asOf = today < to ? today : to;

        var rows = new List<(HazardPlace Place, bool Major, bool Closed, bool OnTime, bool Listed, bool Overdue)>();
        foreach (var record in records)
        {
            var found = BoardDates.ChinaDay(record.CreatedAt);
            if (found < from || found > to)
            {
                continue;
            }

            var facts = HazardFacts.Parse(record.MetadataJson);
            var closedOn = record.IsClosed ? BoardDates.ChinaDay(record.UpdatedAt) : (DateOnly?)null;
            var closed = closedOn is { } day && day <= to;
            var onTime = closed && (facts.Deadline is not { } due || closedOn <= due);
            var overdue = !closed && facts.Deadline is { } deadline && deadline < asOf;
            var listed = steps.GetValueOrDefault(record.DocumentId)?.ListedBy is not null;
            rows.Add((places.Of(record.UnitId), facts.IsMajor, closed, onTime, listed, overdue));
        }

        HazardStatisticsLine Line(string key, string name, string nameEn, IEnumerable<(HazardPlace Place, bool Major, bool Closed, bool OnTime, bool Listed, bool Overdue)> group)
        {
            var list = group.ToList();
            var closedCount = list.Count(r => r.Closed);
            return new HazardStatisticsLine(key, name, nameEn, list.Count, list.Count(r => !r.Major), list.Count(r => r.Major), closedCount,
                list.Count(r => r.OnTime), list.Count == 0 ? 0m : Math.Round(100m * closedCount / list.Count, 1), list.Count(r => r.Listed), list.Count(r => r.Overdue));
        }

        var quarterWords = $"{year.ToString(CultureInfo.InvariantCulture)}年第{"一二三四"[quarter - 1]}季度";
        return new HazardStatisticsView(year, quarter, $"{quarterWords}隐患排查治理情况统计", from, to, asOf,
            rows.GroupBy(r => (r.Place.VillageId, r.Place.Village, r.Place.VillageEn)).OrderBy(g => g.Key.VillageId, StringComparer.Ordinal)
                .Select(g => Line(g.Key.VillageId, g.Key.Village, g.Key.VillageEn, g)).ToList(),
            rows.GroupBy(r => (r.Place.Industry, r.Place.IndustryEn)).OrderBy(g => g.Key.Industry, StringComparer.Ordinal)
                .Select(g => Line(g.Key.Industry, g.Key.Industry, g.Key.IndustryEn, g)).ToList(),
            Line(TotalKey, "合计", "Total", rows));
    }
}
