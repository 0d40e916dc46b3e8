using System.Globalization;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Assessment;

/// <summary>A document behind a figure of the assessment.</summary>
public sealed record AssessmentSource(Guid DocumentId, string Title);

/// <summary>Why a unit is vetoed (一票否决): an accident of the configured severity or worse, a concealed one, or one reported late.</summary>
public static class VetoReasons
{
    public const string Severity = "severity";
    public const string Concealed = "concealed";
    public const string Late = "late";
}

/// <summary>One unit's year: what it did, the documents behind each figure, the veto and the score.</summary>
public sealed record AssessmentRow(
    string UnitId, string Unit, string? UnitEn, string CounterpartyKind, Guid? LetterId, DateOnly? LetterSignedOn,
    int HazardsFound, int HazardsClosedOnTime, int HazardsOverdue, int HazardsListed,
    int StatisticsOnTime, int StatisticsRequired, int DrillsHeld, int DrillsRequired, int TrainingAttended, int MeetingsHeld,
    int Accidents, bool Veto, IReadOnlyList<string> VetoReasons, decimal Score,
    IReadOnlyDictionary<string, IReadOnlyList<AssessmentSource>> Sources);

/// <summary>签订率 of one counterparty kind: letters signed ÷ letters required (every unit of that kind).</summary>
public sealed record SigningRate(string Kind, int Required, int Signed, decimal Rate);

public sealed record AssessmentView(
    int Year, DateOnly AsOf, AssessmentWeights Weights, IReadOnlyList<AssessmentRow> Rows, IReadOnlyList<SigningRate> SigningRates, SigningRate SigningTotal);

/// <summary>
/// 年度安全生产考核: one row per unit with a responsibility letter for the year, computed from the documents and tasks (never
/// typed in). Figures: the letter signed (and when); hazards registered in the year, closed on time (struck off by the
/// 整改期限), overdue (closed late, or open past the deadline as of the year's end or today); quarterly statistics submitted
/// by their deadline; drills on record against the drills the unit's published plans require (现场处置方案 twice a year,
/// others once); meetings and training the unit is named present at (of those held); accidents. Score: the weighted mean of
/// letter signed (1/0), closed on time ÷ (found − open and not yet due), statistics on time ÷ required, min(1, drills held ÷ required) and
/// min(1, attended ÷ held) — a part with nothing to count scores 1 — times 100, one decimal; a veto makes it 0.
/// </summary>
public sealed class AnnualAssessment(
    IAssessmentSource source, IHazardLedgerSource hazards, IOrganisationDirectory directory, IAssessmentWeightsStore weightsStore, TimeProvider clock)
{
    public const string SourceLetter = "letter";
    public const string SourceHazards = "hazards";
    public const string SourceDrills = "drills";
    public const string SourceTraining = "training";
    public const string SourceAccidents = "accidents";

    /// <summary>Who may read the assessment: the leaders, the safety office and the system administrator.</summary>
    public static bool MayRead(Actor actor) => actor.IsAdmin || actor.Roles.Overlaps(
        [Roles.SafetyClerk, Roles.SafetyHead, Roles.LeaderInCharge, Roles.PartySecretary, Roles.Mayor]);

    /// <summary>The counterparty kind (the letters' 单位类别) a unit of this kind signs as; null: the town itself and outsiders.</summary>
    public static string? KindOf(UnitKind kind) => kind switch
    {
        UnitKind.Department => "部门站所",
        UnitKind.Village or UnitKind.Community => "村(社区)",
        UnitKind.School => "学校",
        UnitKind.Kindergarten => "幼儿园",
        UnitKind.Enterprise => "重点企业",
        _ => null,
    };

    public static int ParseYear(string? year)
    {
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 2000 or > 2100)
        {
            throw new InputValidationException("year", "年份须为 2000–2100 的整数 (year must be a whole number from 2000 to 2100).");
        }

        return y;
    }

    public async Task<AssessmentView> ComputeAsync(int year, Actor actor, CancellationToken cancellationToken)
    {
        if (!MayRead(actor))
        {
            throw new ForbiddenException("年度考核仅限领导和安办查看 (the assessment is for the leaders and the safety office).");
        }

        var weights = await weightsStore.GetAsync(cancellationToken);
        var units = (await directory.ListUnitsAsync(cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var unitOf = (await directory.ListOfficialsAsync(cancellationToken)).Where(o => o.UnitId is not null)
            .ToDictionary(o => o.UserName, o => o.UnitId!, StringComparer.Ordinal);
        var today = BoardDates.ChinaDay(clock.GetUtcNow());
        var yearEnd = new DateOnly(year, 12, 31);
        var asOf = today < yearEnd ? today : yearEnd;
        var now = clock.GetUtcNow();

        var documents = await source.DocumentsAsync(
            [Libraries.ResponsibilityLetters, Libraries.EmergencyPlans, Libraries.DrillRecords, Libraries.MeetingMinutes, Libraries.AccidentReports], cancellationToken);
        var tasks = await source.TasksAsync(RecordColumns.StatisticsInstances(year), cancellationToken);
        var orders = await hazards.ListAsync(null, cancellationToken);
        var steps = await hazards.StepsAsync(full: false, cancellationToken);

        var letters = documents.Where(d => d.LibraryKey == Libraries.ResponsibilityLetters && d.Integer(RecordColumns.LetterYear) == year
            && (d.Status != DocumentStatus.Rejected)).ToList();
        var signedOn = tasks.Where(t => t.Kind == TaskKind.Signature && t.Status == ApprovalTaskStatus.Completed && t.Outcome == "Signed" && t.DocumentId is not null)
            .GroupBy(t => t.DocumentId!.Value).ToDictionary(g => g.Key, g => BoardDates.ChinaDay(g.Max(t => t.ClosedAt ?? t.CreatedAt)));
        DateOnly? SignedOn(RecordFact letter) => letter.Status is DocumentStatus.Signed or DocumentStatus.Closed
            ? signedOn.TryGetValue(letter.Id, out var day) ? day : BoardDates.ChinaDay(letter.UpdatedAt)
            : null;

        var meetings = documents.Where(d => d.LibraryKey == Libraries.MeetingMinutes && d.OnRecord && d.Date(RecordColumns.MeetingDate)?.Year == year).ToList();
        var rows = new List<AssessmentRow>();
        foreach (var group in letters.GroupBy(l => l.UnitId))
        {
            var unitId = group.Key;
            var unit = units.GetValueOrDefault(unitId);
            var letter = group.OrderByDescending(l => SignedOn(l).HasValue).ThenByDescending(l => l.UpdatedAt).First();
            var letterSigned = SignedOn(letter);
            var kind = letter.Text(RecordColumns.LetterKind) ?? (unit is null ? "" : KindOf(unit.Kind) ?? "");

            var unitOrders = orders.Where(o => o.UnitId == unitId && BoardDates.ChinaDay(o.CreatedAt).Year == year).ToList();
            int onTime = 0, overdue = 0, listed = 0, pending = 0;
            foreach (var order in unitOrders)
            {
                var deadline = HazardFacts.Parse(order.MetadataJson).Deadline;
                DateOnly? closedOn = order.IsClosed ? BoardDates.ChinaDay(order.UpdatedAt) : null;
                if (closedOn is { } closed)
                {
                    if (deadline is not { } due || closed <= due)
                    {
                        onTime++;
                    }
                    else
                    {
                        overdue++;
                    }
                }
                else if (deadline is { } due && due < asOf)
                {
                    overdue++;
                }
                else
                {
                    pending++; // still open and not yet due: neither a success nor a failure yet
                }

                if (steps.GetValueOrDefault(order.DocumentId)?.ListedBy is not null)
                {
                    listed++;
                }
            }

            var statistics = tasks.Where(t => t.Kind == TaskKind.Submission && t.DocumentId is null && unitOf.GetValueOrDefault(t.Assignee) == unitId)
                .GroupBy(t => t.WorkflowInstanceId).ToList();
            var statisticsOnTime = statistics.Count(g => g.Any(t => t.Status == ApprovalTaskStatus.Completed && t.Outcome == "Submitted"
                && t.ClosedAt is { } at && (t.DueAt is not { } due || at <= due)));

            var drills = documents.Where(d => d.LibraryKey == Libraries.DrillRecords && d.UnitId == unitId && d.OnRecord && d.Date(RecordColumns.DrillDate)?.Year == year).ToList();
            var drillsRequired = documents.Where(d => d.LibraryKey == Libraries.EmergencyPlans && d.UnitId == unitId && d.Status is DocumentStatus.Published or DocumentStatus.Closed)
                .Sum(p => p.Text(RecordColumns.PlanType) == RecordColumns.OnSitePlan ? 2 : 1);

            var attended = unit is null ? [] : meetings.Where(m => UnitsPresent.Names(m.Text(RecordColumns.UnitsPresent), unit)).ToList();

            var accidents = documents.Where(d => d.LibraryKey == Libraries.AccidentReports && d.UnitId == unitId && d.OnRecord
                && d.Date(RecordColumns.OccurredOn)?.Year == year).ToList();
            var reasons = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var accident in accidents)
            {
                if (AssessmentWeights.SeverityRank(accident.Text(RecordColumns.Severity)) >= AssessmentWeights.SeverityRank(weights.VetoSeverity))
                {
                    reasons.Add(VetoReasons.Severity);
                }

                if (accident.YesNo(RecordColumns.Concealed))
                {
                    reasons.Add(VetoReasons.Concealed);
                }

                if (AccidentClock.ReportedLate(accident, tasks.Where(t => t.DocumentId == accident.Id && t.ActivityId == RecordColumns.ReportStep), now))
                {
                    reasons.Add(VetoReasons.Late);
                }
            }

            var veto = reasons.Count > 0;
            var score = veto || weights.Total == 0 ? 0m : Math.Round(100m * (
                (weights.Letter * (letterSigned is null ? 0m : 1m))
                + (weights.Hazards * Ratio(onTime, unitOrders.Count - pending))
                + (weights.Statistics * Ratio(statisticsOnTime, statistics.Count))
                + (weights.Drills * Ratio(drills.Count, drillsRequired))
                + (weights.Training * Ratio(attended.Count, meetings.Count))) / weights.Total, 1, MidpointRounding.AwayFromZero);

            rows.Add(new AssessmentRow(unitId, unit?.Name ?? unitId, unit?.NameEn, kind, letter.Id, letterSigned,
                unitOrders.Count, onTime, overdue, listed, statisticsOnTime, statistics.Count, drills.Count, drillsRequired, attended.Count, meetings.Count,
                accidents.Count, veto, [.. reasons], score,
                new Dictionary<string, IReadOnlyList<AssessmentSource>>
                {
                    [SourceLetter] = [new AssessmentSource(letter.Id, letter.Title)],
                    [SourceHazards] = [.. unitOrders.Select(o => new AssessmentSource(o.DocumentId, o.Title))],
                    [SourceDrills] = [.. drills.Select(d => new AssessmentSource(d.Id, d.Title))],
                    [SourceTraining] = [.. attended.Select(d => new AssessmentSource(d.Id, d.Title))],
                    [SourceAccidents] = [.. accidents.Select(d => new AssessmentSource(d.Id, d.Title))],
                }));
        }

        var rates = SigningRates(units.Values, letters.Where(l => SignedOn(l) is not null).ToList(), letters);
        var total = new SigningRate("合计", rates.Sum(r => r.Required), rates.Sum(r => r.Signed), Rate(rates.Sum(r => r.Signed), rates.Sum(r => r.Required)));
        return new AssessmentView(year, asOf, weights,
            [.. rows.OrderBy(r => r.Veto).ThenByDescending(r => r.Score).ThenBy(r => r.UnitId, StringComparer.Ordinal)], rates, total);
    }

    /// <summary>Per counterparty kind: required = the directory's units of that kind and any other unit with a letter of it; signed = those signed.</summary>
    private static List<SigningRate> SigningRates(IEnumerable<Unit> units, IReadOnlyList<RecordFact> signed, IReadOnlyList<RecordFact> letters)
    {
        var required = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (KindOf(unit.Kind) is { } kind)
            {
                (required.TryGetValue(kind, out var set) ? set : required[kind] = new HashSet<string>(StringComparer.Ordinal)).Add(unit.Id);
            }
        }

        foreach (var letter in letters)
        {
            if (letter.Text(RecordColumns.LetterKind) is { } kind)
            {
                foreach (var set in required.Values)
                {
                    set.Remove(letter.UnitId);
                }

                (required.TryGetValue(kind, out var own) ? own : required[kind] = new HashSet<string>(StringComparer.Ordinal)).Add(letter.UnitId);
            }
        }

        return [.. required.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
        {
            var count = signed.Where(l => k.Value.Contains(l.UnitId)).Select(l => l.UnitId).Distinct().Count();
            return new SigningRate(k.Key, k.Value.Count, count, Rate(count, k.Value.Count));
        })];
    }

    private static decimal Ratio(int done, int of) => of == 0 ? 1m : Math.Min(1m, (decimal)done / of);

    private static decimal Rate(int done, int of) => of == 0 ? 0m : Math.Round(100m * done / of, 1, MidpointRounding.AwayFromZero);
}

/// <summary>Who the minutes name as present (参会单位): ids or names separated by 、 , ; or spaces; a short name in （） counts.</summary>
public static class UnitsPresent
{
    private static readonly char[] Separators = ['、', ',', '，', ';', '；', ' ', '\n', '\r', '\t'];

    public static bool Names(string? text, Unit unit)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var open = unit.Name.IndexOf('（', StringComparison.Ordinal);
        var plain = open > 0 ? unit.Name[..open] : unit.Name;
        var shortName = open > 0 && unit.Name.EndsWith('）') ? unit.Name[(open + 1)..^1] : null;
        return text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(t => t == unit.Id || t == unit.Name || t == plain || t == shortName);
    }
}

/// <summary>
/// The accident report's clock: report upward within the hour (事故快报). Late when the report step closed after its
/// deadline, is still open past it, or the flash report itself was entered more than an hour after the accident.
/// </summary>
public static class AccidentClock
{
    public static readonly TimeSpan ReportWithin = TimeSpan.FromHours(1);

    public static DateTimeOffset? OccurredAt(RecordFact accident)
    {
        if (accident.Date(RecordColumns.OccurredOn) is not { } day)
        {
            return null;
        }

        var time = TimeOnly.TryParseExact(accident.Text(RecordColumns.OccurredTime) ?? "", ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var t) ? t : TimeOnly.MinValue;
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, Calendar.WorkingCalendar.China.GetUtcOffset(local));
    }

    public static bool ReportedLate(RecordFact accident, IEnumerable<TaskFact> reportSteps, DateTimeOffset now)
    {
        if (accident.Text(RecordColumns.OccurredTime) is { Length: > 0 } && OccurredAt(accident) is { } occurred && accident.CreatedAt - occurred > ReportWithin)
        {
            return true;
        }

        return reportSteps.Any(t => t.DueAt is { } due && (t.Status == ApprovalTaskStatus.Completed ? t.ClosedAt > due : t.Status == ApprovalTaskStatus.Open && now > due));
    }
}
