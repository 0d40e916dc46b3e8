using System.Globalization;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Board;

/// <summary>Red: overdue; yellow: due within <see cref="HazardBoard.YellowWorkingDays"/> working days; green: on track. Keys are a contract.</summary>
public static class HazardLevels
{
    public const string Red = "red";
    public const string Yellow = "yellow";
    public const string Green = "green";
}

/// <summary>One open order on the board.</summary>
public sealed record HazardItem(
    Guid DocumentId, string Title, HazardPlace Place, string Grade, string Stage, DateOnly? Deadline, int? DaysLeft, string Level, bool Listed, string? ListedBy);

/// <summary>A count of open orders under one village or industry, by level.</summary>
public sealed record HazardCount(string Key, string Name, string NameEn, int Count, int Red, int Yellow, int Green);

/// <summary>Orders found (registered) and closed (销号) in one month, <c>yyyy-MM</c>.</summary>
public sealed record HazardMonth(string Month, int Found, int Closed);

public sealed record HazardBoardView(
    DateOnly Today, IReadOnlyList<HazardItem> Items, IReadOnlyList<HazardCount> ByVillage, IReadOnlyList<HazardCount> ByIndustry, IReadOnlyList<HazardMonth> Trend);

/// <summary>One row of the 隐患排查治理台账 (every order the caller may see that left Draft, open or closed).</summary>
public sealed record HazardLedgerRow(
    int Number, DateOnly FoundOn, string Unit, string Description, string Location, string Grade, string Measures, DateOnly? Deadline,
    string? Responsible, DateOnly? RectifiedOn, string? Reinspector, DateOnly? ClosedOn, string Stage);

/// <summary>
/// The hazard board (隐患台账/督办看板): every open rectification order in the caller's view with its deadline light, the
/// counts by village and industry, and the 12-month trend; and the ledger rows for the export. Visibility follows
/// <see cref="HazardPlaces.VisibleUnits"/>.
/// </summary>
public sealed class HazardBoard(IHazardLedgerSource source, IOrganisationDirectory directory, WorkingCalendar calendar, TimeProvider clock)
{
    public const int YellowWorkingDays = 3;

    public DateOnly Today => BoardDates.ChinaDay(clock.GetUtcNow());

    /// <summary>
    /// What the caller's board is made of, as two keys: the scope (which units) and a version that changes when the answer
    /// may (the orders, their listing steps, the day). Equal keys give an equal board, so a cache may keep it.
    /// </summary>
    public async Task<(string Scope, string Version)> KeysAsync(Actor actor, CancellationToken cancellationToken)
    {
        var places = new HazardPlaces(await directory.ListUnitsAsync(cancellationToken));
        var units = places.VisibleUnits(actor);
        var scope = units is null ? "*" : string.Join(',', units.Order(StringComparer.Ordinal));
        return (scope, $"{Today:yyyyMMdd}|{await source.FingerprintAsync(cancellationToken)}");
    }

    public async Task<HazardBoardView> BuildAsync(Actor actor, CancellationToken cancellationToken)
    {
        var places = new HazardPlaces(await directory.ListUnitsAsync(cancellationToken));
        var units = places.VisibleUnits(actor);
        var records = await source.ListAsync(units, cancellationToken);
        var steps = await source.StepsAsync(full: false, cancellationToken);
        var today = Today;
        var yellowUntil = calendar.AddWorkingDays(today, YellowWorkingDays).Date;
        var names = (await directory.ListOfficialsAsync(cancellationToken)).ToDictionary(o => o.UserName, o => o.DisplayName, StringComparer.Ordinal);

        var items = new List<HazardItem>();
        foreach (var record in records.Where(r => r.IsOpen))
        {
            var facts = HazardFacts.Parse(record.MetadataJson);
            var level = facts.Deadline is not { } deadline ? HazardLevels.Green
                : deadline < today ? HazardLevels.Red
                : deadline <= yellowUntil ? HazardLevels.Yellow
                : HazardLevels.Green;
            var step = steps.GetValueOrDefault(record.DocumentId);
            var listedBy = step is { ListedBy: { } by, Delisted: false } ? by : null;
            items.Add(new HazardItem(
                record.DocumentId, record.Title, places.Of(record.UnitId), facts.Grade, record.Stage ?? DocumentStages.FromStatus(Libraries.RectificationOrders, record.Status),
                facts.Deadline, facts.Deadline is { } due ? due.DayNumber - today.DayNumber : null, level, listedBy is not null,
                listedBy is null ? null : names.GetValueOrDefault(listedBy, listedBy)));
        }

        // Most urgent first: overdue longest, then due soonest; no deadline last.
        items.Sort((a, b) => (a.DaysLeft ?? int.MaxValue).CompareTo(b.DaysLeft ?? int.MaxValue) is var byDays and not 0 ? byDays : string.CompareOrdinal(a.Title, b.Title));
        return new HazardBoardView(today, items,
            Count(items, i => (i.Place.VillageId, i.Place.Village, i.Place.VillageEn)),
            Count(items, i => (i.Place.Industry, i.Place.Industry, i.Place.IndustryEn)),
            Trend(records, today));
    }

    /// <summary>The ledger rows, oldest first, numbered from 1; made one at a time as the writer asks for them.</summary>
    public async Task<IEnumerable<HazardLedgerRow>> LedgerAsync(Actor actor, CancellationToken cancellationToken)
    {
        var places = new HazardPlaces(await directory.ListUnitsAsync(cancellationToken));
        var records = await source.ListAsync(places.VisibleUnits(actor), cancellationToken);
        var steps = await source.StepsAsync(full: true, cancellationToken);
        var names = (await directory.ListOfficialsAsync(cancellationToken)).ToDictionary(o => o.UserName, o => o.DisplayName, StringComparer.Ordinal);
        string? Name(string? userName) => userName is null ? null : names.GetValueOrDefault(userName, userName);

        return records.OrderBy(r => r.CreatedAt).ThenBy(r => r.DocumentId).Select((record, index) =>
        {
            var facts = HazardFacts.Parse(record.MetadataJson);
            var step = steps.GetValueOrDefault(record.DocumentId) ?? new HazardSteps();
            var stage = record.Stage ?? DocumentStages.FromStatus(Libraries.RectificationOrders, record.Status);
            return new HazardLedgerRow(
                index + 1, BoardDates.ChinaDay(record.CreatedAt), places.Of(record.UnitId).Unit, facts.Description, facts.Location, facts.Grade,
                Measures: "", facts.Deadline, Name(step.SignedBy), step.EvidenceAt is { } rectified ? BoardDates.ChinaDay(rectified) : null,
                record.IsClosed ? Name(step.ReinspectedBy) : null, record.IsClosed ? BoardDates.ChinaDay(record.UpdatedAt) : null,
                DocumentStages.Words(stage));
        });
    }

    /// <summary>The 12 months up to this one: orders registered in each, and orders struck off in each.</summary>
    private static List<HazardMonth> Trend(IReadOnlyList<HazardRecord> records, DateOnly today)
    {
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var found = new int[12];
        var closed = new int[12];
        foreach (var record in records)
        {
            if (MonthIndex(BoardDates.ChinaDay(record.CreatedAt), first) is { } f)
            {
                found[f]++;
            }

            if (record.IsClosed && MonthIndex(BoardDates.ChinaDay(record.UpdatedAt), first) is { } c)
            {
                closed[c]++;
            }
        }

        return Enumerable.Range(0, 12).Select(i => new HazardMonth(first.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture), found[i], closed[i])).ToList();
    }

    private static int? MonthIndex(DateOnly day, DateOnly first)
    {
        var index = ((day.Year - first.Year) * 12) + day.Month - first.Month;
        return index is >= 0 and < 12 ? index : null;
    }

    private static List<HazardCount> Count(List<HazardItem> items, Func<HazardItem, (string Key, string Name, string NameEn)> by) =>
        items.GroupBy(by).Select(g => new HazardCount(g.Key.Key, g.Key.Name, g.Key.NameEn, g.Count(),
                g.Count(i => i.Level == HazardLevels.Red), g.Count(i => i.Level == HazardLevels.Yellow), g.Count(i => i.Level == HazardLevels.Green)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
}
