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
