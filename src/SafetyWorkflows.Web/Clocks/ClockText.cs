using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Web.Localization;
using SafetyWorkflows.Web.Organisation;

namespace SafetyWorkflows.Web.Clocks;

/// <summary>A pending clock's rule as a sentence in the reader's language, with people and roles by name.</summary>
public static class ClockText
{
    private static readonly Dictionary<string, string> TimerWords = new(StringComparer.Ordinal)
    {
        ["流程延时"] = "Workflow delay",
        ["流程定时"] = "Workflow timer",
        ["流程定时启动"] = "Workflow start at a set time",
        ["流程定时器"] = "Workflow timer",
    };

    private static readonly Dictionary<string, (string Zh, string En)> JobNames = new(StringComparer.Ordinal)
    {
        ["notification-sweep"] = ("通知发送巡检", "Notification sweep"),
        ["notification-digest"] = ("每日通知汇总", "Daily notification digest"),
        ["clocks:holiday-campaigns"] = ("节前安全生产大检查", "Holiday inspection campaigns"),
        ["clocks:quarterly-meeting-training"] = ("季度安全例会和培训", "Quarterly meeting and training"),
        ["clocks:quarterly-hazard-statistics"] = ("季度隐患统计", "Quarterly hazard statistics"),
        ["clocks:annual-responsibility-letters"] = ("年度责任书签订", "Annual responsibility letters"),
        ["clocks:plan-drills-evaluations"] = ("预案演练与评估提醒", "Plan drills and evaluations"),
    };

    /// <summary>What a clock belongs to: its step, or a recurring job by its name rather than its id.</summary>
    public static string? Subject(PendingClock clock) =>
        clock.Kind == PendingClockKind.Recurring && clock.Step is { } id
            ? JobNames.TryGetValue(id, out var name) ? UiText.Pick(name.Zh, name.En) : id
            : clock.Step;

    public static string Rule(PendingClock clock, PeopleNames people)
    {
        var english = UiText.IsEnglish;
        if (clock.TaskClock is { } taskClock)
        {
            return taskClock.Describe(english, people.Entries);
        }

        switch (clock.Kind)
        {
            case PendingClockKind.Deadline:
                return english ? $"Deadline of {people.Entries(clock.Assignees)}" : $"{people.Entries(clock.Assignees)}的办理期限";
            case PendingClockKind.PlanDrill or PendingClockKind.PlanEvaluation:
                return UiText.Message(clock.Rule).TrimEnd('。', '.');
            case PendingClockKind.StepTimeout:
                return english ? "The step ends if it is still open then" : clock.Rule;
            case PendingClockKind.Recurring:
                var split = clock.Rule.LastIndexOf(" · ", StringComparison.Ordinal);
                var what = split < 0 ? clock.Rule : clock.Rule[..split];
                what = what == clock.Step ? Subject(clock)! : UiText.Message(what).TrimEnd('。', '.');
                return split < 0 ? what : what + clock.Rule[split..];
            default:
                if (!english)
                {
                    return clock.Rule;
                }

                var word = TimerWords.Keys.Where(k => clock.Rule.StartsWith(k, StringComparison.Ordinal)).OrderByDescending(k => k.Length).FirstOrDefault();
                return word is null ? clock.Rule : TimerWords[word] + clock.Rule[word.Length..];
        }
    }
}
