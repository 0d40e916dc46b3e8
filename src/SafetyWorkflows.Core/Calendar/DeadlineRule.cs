using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace SafetyWorkflows.Core.Calendar;

/// <summary>How a deadline rule counts.</summary>
public enum DeadlineUnit
{
    /// <summary>An ISO-8601 duration (<c>P3D</c>, <c>PT4H</c>): calendar time.</summary>
    Duration,

    /// <summary>N working days on the official calendar (<c>20WD</c>, <c>20 working days</c>, <c>20个工作日</c>).</summary>
    WorkingDays,

    /// <summary>N calendar days (<c>10 days</c>, <c>10天</c>, <c>10日</c>, <c>10 calendar days</c>).</summary>
    CalendarDays,

    /// <summary>The 15th of the month after the quarter (<c>quarter+15</c>, <c>季后15日</c>): quarterly statistics.</summary>
    FifteenthAfterQuarter,

    /// <summary>A fixed point in time (<c>2026-04-03T17:30:00+08:00</c>; a bare date means 17:30 China time that day).</summary>
    Absolute,
}

/// <summary>A deadline at a point in China time, and whether the official calendar covered every day it counted.</summary>
public readonly record struct Deadline(DateTimeOffset At, bool Certain);

/// <summary>
/// The deadline functions of the township's clocks: N working days, N calendar days, "the 15th of the month after the
/// quarter", or a plain duration. Counted in China time (Asia/Shanghai); the time of day is kept for day-based rules.
/// </summary>
public sealed partial record DeadlineRule(DeadlineUnit Unit, int Count, TimeSpan Duration, string Text)
{
    /// <summary>The fixed time of an <see cref="DeadlineUnit.Absolute"/> rule.</summary>
    public DateTimeOffset? FixedAt { get; init; }

    public static bool TryParse(string? text, out DeadlineRule rule)
    {
        rule = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (WorkingDaysPattern().Match(trimmed) is { Success: true } wd)
        {
            rule = new DeadlineRule(DeadlineUnit.WorkingDays, int.Parse(wd.Groups[1].Value, CultureInfo.InvariantCulture), TimeSpan.Zero, trimmed);
            return true;
        }

        if (CalendarDaysPattern().Match(trimmed) is { Success: true } cd)
        {
            rule = new DeadlineRule(DeadlineUnit.CalendarDays, int.Parse(cd.Groups[1].Value, CultureInfo.InvariantCulture), TimeSpan.Zero, trimmed);
            return true;
        }

        if (AbsolutePattern().IsMatch(trimmed))
        {
            if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                var end = date.ToDateTime(new TimeOnly(17, 30));
                rule = new DeadlineRule(DeadlineUnit.Absolute, 0, TimeSpan.Zero, trimmed) { FixedAt = new DateTimeOffset(end, WorkingCalendar.China.GetUtcOffset(end)) };
                return true;
            }

            if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                rule = new DeadlineRule(DeadlineUnit.Absolute, 0, TimeSpan.Zero, trimmed) { FixedAt = at };
                return true;
            }

            return false;
        }

        if (trimmed is "quarter+15" or "季后15日" or "季度后15日" or "next-quarter-15th")
        {
            rule = new DeadlineRule(DeadlineUnit.FifteenthAfterQuarter, 15, TimeSpan.Zero, trimmed);
            return true;
        }

        try
        {
            var span = trimmed.StartsWith('P') || trimmed.StartsWith("-P", StringComparison.Ordinal)
                ? XmlConvert.ToTimeSpan(trimmed)
                : TimeSpan.Parse(trimmed, CultureInfo.InvariantCulture);
            rule = new DeadlineRule(DeadlineUnit.Duration, 0, span, trimmed);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>How long the rule counts, as a person says it: 1 个工作日, 2 天, 4 小时 (1 working day, 2 days, 4 hours).</summary>
    public string Words(bool english) => Unit switch
    {
        DeadlineUnit.WorkingDays => english ? Plural(Count, "working day") : $"{Count} 个工作日",
        DeadlineUnit.CalendarDays => english ? Plural(Count, "day") : $"{Count} 天",
        DeadlineUnit.FifteenthAfterQuarter => english ? "the 15th after the quarter" : "季度结束后次月 15 日",
        DeadlineUnit.Absolute => FixedAt is { } at ? TimeZoneInfo.ConvertTime(at, WorkingCalendar.China).ToString(english ? "yyyy-MM-dd HH:mm" : "yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture) : Text,
        _ => DurationWords(Duration, english),
    };

    /// <summary>The words of a rule text, or the text itself when it is not a rule.</summary>
    public static string Words(string text, bool english) => TryParse(text, out var rule) ? rule.Words(english) : text;

    private static string DurationWords(TimeSpan span, bool english) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays == Math.Floor(span.TotalDays) => english ? Plural((int)span.TotalDays, "day") : $"{(int)span.TotalDays} 天",
        { TotalHours: >= 1 } when span.TotalHours == Math.Floor(span.TotalHours) => english ? Plural((int)span.TotalHours, "hour") : $"{(int)span.TotalHours} 小时",
        _ => english ? Plural((int)Math.Ceiling(span.TotalMinutes), "minute") : $"{(int)Math.Ceiling(span.TotalMinutes)} 分钟",
    };

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static DeadlineRule Parse(string text) =>
        TryParse(text, out var rule) ? rule : throw new FormatException(
            $"'{text}' is not a deadline: use an ISO-8601 duration (P3D, PT4H), N working days (5WD, 5个工作日), N calendar days (10天) or quarter+15");

    /// <summary>The deadline this rule gives from <paramref name="from"/> (or before it, with <paramref name="backwards"/>).</summary>
    public Deadline From(DateTimeOffset from, WorkingCalendar calendar, bool backwards = false)
    {
        var sign = backwards ? -1 : 1;
        var local = TimeZoneInfo.ConvertTime(from, WorkingCalendar.China);
        var day = DateOnly.FromDateTime(local.DateTime);
        switch (Unit)
        {
            case DeadlineUnit.WorkingDays:
                var deadline = calendar.AddWorkingDays(day, sign * Count);
                return new Deadline(At(deadline.Date, local), deadline.Certain);
            case DeadlineUnit.CalendarDays:
                return new Deadline(local.AddDays(sign * Count), true);
            case DeadlineUnit.FifteenthAfterQuarter:
                var quarterEnd = new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 3, 1);
                var fifteenth = new DateOnly(quarterEnd.Year, quarterEnd.Month, 1).AddMonths(1).AddDays(14);
                return new Deadline(new DateTimeOffset(fifteenth.ToDateTime(new TimeOnly(17, 30)), WorkingCalendar.China.GetUtcOffset(fifteenth.ToDateTime(TimeOnly.MinValue))), true);
            case DeadlineUnit.Absolute:
                return new Deadline(FixedAt!.Value, calendar.Covers(TimeZoneInfo.ConvertTime(FixedAt.Value, WorkingCalendar.China).Year));
            default:
                return new Deadline(from + (sign * Duration), true);
        }
    }

    private static DateTimeOffset At(DateOnly date, DateTimeOffset timeOfDay) =>
        new(date.ToDateTime(TimeOnly.FromDateTime(timeOfDay.DateTime)), timeOfDay.Offset);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePattern();

    [GeneratedRegex(@"^(\d{1,3})\s*(?:WD|wd|working\s*days?|个工作日|工作日)$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkingDaysPattern();

    [GeneratedRegex(@"^(\d{1,4})\s*(?:days?|calendar\s*days?|天|日|个自然日|自然日)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CalendarDaysPattern();
}
