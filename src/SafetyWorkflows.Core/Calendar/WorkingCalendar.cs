using System.Globalization;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.Core.Calendar;

/// <summary>A deadline on the official calendar; <see cref="Certain"/> is false when it ran through a year the calendar does not cover.</summary>
public readonly record struct WorkingDayDeadline(DateOnly Date, bool Certain);

/// <summary>One holiday period of a State Council notice (e.g. 春节 2026-02-15 – 2026-02-23).</summary>
public sealed record HolidayPeriod(string Name, string NameEn, DateOnly From, DateOnly To);

/// <summary>
/// Working days as the State Council's holiday notices define them (<c>seeds/cn-holidays.json</c>): weekends and
/// holidays are off, make-up Saturdays/Sundays (调休) are working days. For a year the file does not cover, only weekends
/// are known, and the deadline says so rather than pretending.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _makeUpWorkdays;
    private readonly HashSet<int> _years;

    public WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> makeUpWorkdays, IEnumerable<int> coveredYears, IEnumerable<HolidayPeriod>? periods = null)
    {
        _holidays = [.. holidays];
        _makeUpWorkdays = [.. makeUpWorkdays];
        _years = [.. coveredYears];
        Periods = [.. (periods ?? []).OrderBy(p => p.From)];
    }

    /// <summary>The named holiday periods of every covered year, in date order (campaigns open before them).</summary>
    public IReadOnlyList<HolidayPeriod> Periods { get; }

    public static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public IReadOnlySet<int> CoveredYears => _years;

    /// <summary>Reads the calendar file (years → holidays {from, to} and makeUpWorkdays).</summary>
    public static WorkingCalendar Parse(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var holidays = new List<DateOnly>();
        var makeUp = new List<DateOnly>();
        var years = new List<int>();
        var periods = new List<HolidayPeriod>();
        foreach (var (year, entry) in root["years"]!.AsObject())
        {
            years.Add(int.Parse(year, CultureInfo.InvariantCulture));
            foreach (var holiday in entry!["holidays"]!.AsArray())
            {
                periods.Add(new HolidayPeriod(
                    holiday!["name"]?.GetValue<string>() ?? "", holiday["nameEn"]?.GetValue<string>() ?? "", Date(holiday["from"]), Date(holiday["to"])));
                for (var day = Date(holiday!["from"]); day <= Date(holiday["to"]); day = day.AddDays(1))
                {
                    holidays.Add(day);
                }
            }

            makeUp.AddRange(entry["makeUpWorkdays"]!.AsArray().Select(Date));
        }

        return new WorkingCalendar(holidays, makeUp, years, periods);
    }

    public bool Covers(int year) => _years.Contains(year);

    public bool IsWorkingDay(DateOnly day) =>
        _makeUpWorkdays.Contains(day) || (!_holidays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>
    /// The day <paramref name="days"/> working days after <paramref name="start"/> (the start day itself not counted);
    /// a negative count goes back (the working day N working days before).
    /// </summary>
    public WorkingDayDeadline AddWorkingDays(DateOnly start, int days)
    {
        var day = start;
        var certain = Covers(day.Year);
        var step = days < 0 ? -1 : 1;
        for (var counted = 0; counted < Math.Abs(days);)
        {
            day = day.AddDays(step);
            certain &= Covers(day.Year);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return new WorkingDayDeadline(day, certain);
    }

    private static DateOnly Date(JsonNode? node) => DateOnly.ParseExact(node!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
