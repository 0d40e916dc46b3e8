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
            case PendingClockKind.StepTimeout:
                return english ? "The step ends if it is still open then" : clock.Rule;
            case PendingClockKind.Recurring:
                var split = clock.Rule.LastIndexOf(" · ", StringComparison.Ordinal);
                return split < 0 ? UiText.Message(clock.Rule) : UiText.Message(clock.Rule[..split]).TrimEnd('。', '.') + clock.Rule[split..];
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
