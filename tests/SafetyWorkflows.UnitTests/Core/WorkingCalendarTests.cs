using SafetyWorkflows.Core.Calendar;

namespace SafetyWorkflows.UnitTests.Core;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "seeds", "cn-holidays.json")));

    [Theory]
    [InlineData("2025-01-24", 3, "2025-02-05")] // Friday before 春节: the make-up Sunday 26 Jan counts, 28 Jan–4 Feb are off
    [InlineData("2025-01-27", 1, "2025-02-05")] // the eve of 春节 to the first day back
    [InlineData("2025-02-07", 1, "2025-02-08")] // lands on the make-up Saturday 8 Feb
    [InlineData("2025-09-26", 2, "2025-09-29")] // Saturday off, make-up Sunday 28 Sep counts, then Monday 29 Sep
    [InlineData("2025-09-30", 1, "2025-10-09")] // 国庆 and 中秋 1–8 Oct are off
    [InlineData("2026-11-27", 5, "2026-12-04")] // an ordinary week
    [InlineData("2024-04-03", 1, "2024-04-07")] // 清明 4–6 Apr, make-up Sunday 7 Apr
    [InlineData("2026-02-12", 2, "2026-02-14")] // lands on the make-up Saturday 14 Feb before 春节
    [InlineData("2026-02-13", 2, "2026-02-24")] // crosses 春节 15–23 Feb: make-up Saturday 14, then Tuesday 24
    [InlineData("2026-02-10", 10, "2026-03-02")] // 13, 14(Sat), 24, 25, 26, 27, 28(Sat), 2 Mar: both make-up Saturdays count
    [InlineData("2025-12-31", 1, "2026-01-04")] // 元旦 1–3 Jan 2026 off, make-up Sunday 4 Jan
    [InlineData("2026-09-30", 1, "2026-10-08")] // 国庆 1–7 Oct off
    [InlineData("2026-10-09", 1, "2026-10-10")] // lands on the make-up Saturday 10 Oct
    [InlineData("2026-04-30", 1, "2026-05-06")] // 劳动节 1–5 May off
    [InlineData("2026-02-24", -1, "2026-02-14")] // backwards: one working day before the first day after 春节
    [InlineData("2026-03-05", -3, "2026-03-02")] // backwards across an ordinary weekend-free stretch
    public void AddWorkingDays_FollowsHolidaysAndMakeUpDays(string start, int days, string expected)
    {
        var deadline = Calendar.AddWorkingDays(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), days);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), deadline.Date);
        Assert.True(deadline.Certain);
    }

    [Fact]
    public void AddWorkingDays_IntoAnUncoveredYear_IsFlaggedUncertain()
    {
        var deadline = Calendar.AddWorkingDays(new DateOnly(2026, 12, 21), 20);

        Assert.False(deadline.Certain);
        Assert.Equal(2027, deadline.Date.Year);
    }

    [Theory]
    [InlineData("5WD", "2026-02-12T09:00:00+08:00", "2026-02-26T09:00:00+08:00")] // 13, 14(Sat), 24, 25, 26
    [InlineData("5个工作日", "2026-02-12T09:00:00+08:00", "2026-02-26T09:00:00+08:00")]
    [InlineData("10天", "2026-02-12T09:00:00+08:00", "2026-02-22T09:00:00+08:00")] // calendar days ignore holidays
    [InlineData("10 calendar days", "2026-02-12T09:00:00+08:00", "2026-02-22T09:00:00+08:00")]
    [InlineData("P3D", "2026-02-12T09:00:00+08:00", "2026-02-15T09:00:00+08:00")]
    [InlineData("PT4H", "2026-02-12T09:00:00+08:00", "2026-02-12T13:00:00+08:00")]
    [InlineData("quarter+15", "2026-05-20T09:00:00+08:00", "2026-07-15T17:30:00+08:00")] // Q2 statistics due 15 July
    [InlineData("季后15日", "2026-12-01T09:00:00+08:00", "2027-01-15T17:30:00+08:00")] // Q4 statistics due 15 January
    [InlineData("quarter+15", "2026-01-01T00:30:00+08:00", "2026-04-15T17:30:00+08:00")] // China date, not the UTC one
    [InlineData("2026-04-03", "2026-03-20T09:00:00+08:00", "2026-04-03T17:30:00+08:00")] // a bare date: close of business
    [InlineData("2026-04-03T12:00:00+08:00", "2026-03-20T09:00:00+08:00", "2026-04-03T12:00:00+08:00")]
    public void DeadlineRule_CountsEachKindOfDeadline(string rule, string from, string expected)
    {
        var deadline = DeadlineRule.Parse(rule).From(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), Calendar);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), deadline.At);
        Assert.True(deadline.Certain);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5 weeks-ish")]
    [InlineData("")]
    public void DeadlineRule_RefusesWhatIsNotADeadline(string text) => Assert.False(DeadlineRule.TryParse(text, out _));

    [Fact]
    public void Periods_NameEachHolidayOfEachYear()
    {
        var springFestival2026 = Assert.Single(Calendar.Periods, p => p.Name == "春节" && p.From.Year == 2026);

        Assert.Equal((new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23)), (springFestival2026.From, springFestival2026.To));
        Assert.Equal(Calendar.Periods.OrderBy(p => p.From).ToList(), Calendar.Periods);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyWorkflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
