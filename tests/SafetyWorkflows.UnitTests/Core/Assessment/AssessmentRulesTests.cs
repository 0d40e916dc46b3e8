using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.UnitTests.Core.Assessment;

public sealed class AssessmentRulesTests
{
    private static readonly Unit School = new("huaqiao-primary", "花桥完全小学（花桥完小）", "Huaqiao Primary School", UnitKind.School, "qingshan-village", null);

    [Theory]
    [InlineData("衡南八中、花桥完小、鸿运烟花爆竹批发部", true)]
    [InlineData("花桥完全小学（花桥完小）", true)]
    [InlineData("huaqiao-primary，石塘采石场", true)]
    [InlineData("花桥完全小学", true)]
    [InlineData("花桥", false)]
    [InlineData("", false)]
    public void UnitsPresent_Names_ByIdFullPlainOrShortName(string text, bool expected) =>
        Assert.Equal(expected, UnitsPresent.Names(text, School));

    [Fact]
    public void ReportedLate_WhenTheReportStepClosedAfterItsHour_OrTheFlashReportCameLate()
    {
        var created = new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8));
        var onTimeEntry = Accident("09:30", created);
        var lateEntry = Accident("08:30", created);
        var due = created.AddHours(1);

        Assert.False(AccidentClock.ReportedLate(onTimeEntry, [Report(ApprovalTaskStatus.Completed, due, due.AddMinutes(-5))], due));
        Assert.True(AccidentClock.ReportedLate(onTimeEntry, [Report(ApprovalTaskStatus.Completed, due, due.AddMinutes(5))], due));
        Assert.True(AccidentClock.ReportedLate(onTimeEntry, [Report(ApprovalTaskStatus.Open, due, null)], due.AddMinutes(1)));
        Assert.False(AccidentClock.ReportedLate(onTimeEntry, [Report(ApprovalTaskStatus.Open, due, null)], due.AddMinutes(-1)));
        Assert.True(AccidentClock.ReportedLate(lateEntry, [], created));
    }

    [Fact]
    public void Weights_RefuseOutOfRangeAllZeroAndUnknownSeverity_NamingTheField()
    {
        var weights = AssessmentWeights.Default();

        Assert.Equal("drills", Assert.Throws<InputValidationException>(() => weights.Change(1, 1, 1, -1, 1, "较大", "admin", DateTimeOffset.UnixEpoch)).Field);
        Assert.Equal("letter", Assert.Throws<InputValidationException>(() => weights.Change(0, 0, 0, 0, 0, "较大", "admin", DateTimeOffset.UnixEpoch)).Field);
        Assert.Equal("vetoSeverity", Assert.Throws<InputValidationException>(() => weights.Change(1, 0, 0, 0, 0, "严重", "admin", DateTimeOffset.UnixEpoch)).Field);
        weights.Change(10, 0, 0, 0, 0, "重大", "admin", DateTimeOffset.UnixEpoch);
        Assert.Equal((10, "重大"), (weights.Total, weights.VetoSeverity));
        Assert.True(AssessmentWeights.SeverityRank("特别重大") > AssessmentWeights.SeverityRank(weights.VetoSeverity));
    }

    private static RecordFact Accident(string time, DateTimeOffset created) => new(
        Guid.NewGuid(), Libraries.AccidentReports, "事故快报", "shitang-quarry", DocumentStatus.Pending, null,
        $$"""{"occurredOn":"2026-03-06","occurredTime":"{{time}}","severity":"一般"}""", created, created);

    private static TaskFact Report(ApprovalTaskStatus status, DateTimeOffset due, DateTimeOffset? closed) => new(
        Guid.NewGuid(), null, "i", RecordColumns.ReportStep, TaskKind.Submission, "wangqiang", status, status == ApprovalTaskStatus.Completed ? "Submitted" : null,
        due.AddHours(-1), due, closed);
}
