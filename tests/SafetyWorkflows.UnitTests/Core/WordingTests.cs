using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Calendar;

namespace SafetyWorkflows.UnitTests.Core;

/// <summary>What officials read: rules as sentences, campaign and quarter titles in the office's words.</summary>
public sealed class WordingTests
{
    private static readonly DateTimeOffset At = new(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(TaskClockKind.Reminder, "1WD", false, "截止前 1 个工作日催办")]
    [InlineData(TaskClockKind.Reminder, "PT2H", false, "截止前 2 小时催办")]
    [InlineData(TaskClockKind.Reminder, "due", false, "到期当日催办")]
    [InlineData(TaskClockKind.Escalation, "3WD", false, "逾期 3 个工作日报党委书记、镇长督办")]
    [InlineData(TaskClockKind.ProgressReport, "5WD", false, "挂牌督办期间每 5 个工作日报送一次进展")]
    [InlineData(TaskClockKind.Reminder, "1WD", true, "Reminder 1 working day before the deadline")]
    [InlineData(TaskClockKind.Escalation, "3WD", true, "Escalated to Party secretary, Mayor 3 working days after the deadline")]
    public void TaskClockRules_ReadAsSentences(TaskClockKind kind, string rule, bool english, string expected)
    {
        var clock = new TaskClock(kind, At, rule, 1, ["party-secretary", "mayor"]);
        var names = english ? "Party secretary, Mayor" : "党委书记、镇长";
        Assert.Equal(expected, clock.Describe(english, _ => names));
        Assert.DoesNotContain("WD", clock.Describe(english, _ => names), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spring-festival", "2026年春节前安全生产大检查")]
    [InlineData("national-day", "2026年国庆节前安全生产大检查")]
    [InlineData("safety-month", "2026年“安全生产月”期间安全生产大检查")]
    [InlineData("qingming", "2026年清明节前安全生产大检查")]
    public void CampaignTitles_AreTheOfficesWords(string key, string expected) =>
        Assert.Equal(expected, HolidayCampaigns.Title(new CampaignOpening(key, "x", "x", new DateOnly(2026, 1, 1), new DateOnly(2026, 5, 1))));

    [Theory]
    [InlineData(2, "2026年第一季度")]
    [InlineData(7, "2026年第三季度")]
    [InlineData(12, "2026年第四季度")]
    public void Quarters_AreWrittenInChinese(int month, string expected) =>
        Assert.Equal(expected, HolidayCampaigns.QuarterWords(new DateOnly(2026, month, 10)));

    [Theory]
    [InlineData(TaskOutcomesCase.Approved, "同意")]
    [InlineData(TaskOutcomesCase.SentBackToReview, "退回")]
    [InlineData(TaskOutcomesCase.TimedOut, "超时")]
    public void Outcomes_AreWords(TaskOutcomesCase outcome, string expected) =>
        Assert.Equal(expected, TaskOutcomes.Words(outcome switch
        {
            TaskOutcomesCase.Approved => "Approved",
            TaskOutcomesCase.SentBackToReview => "SentBack:review",
            _ => "TimedOut",
        }));

    public enum TaskOutcomesCase
    {
        Approved,
        SentBackToReview,
        TimedOut,
    }
}
