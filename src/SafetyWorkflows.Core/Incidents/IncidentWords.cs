using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Incidents;

/// <summary>
/// What an incident means, in words an official reads: which step stopped, why (the fault's own words when it has
/// them in Chinese, a plain "program error" otherwise) and what happens next. Written "中文 (English)".
/// </summary>
public static class IncidentWords
{
    /// <summary>The longest fault detail quoted in a note (the note itself is stored in 500 characters).</summary>
    private const int MaxDetail = 150;

    public static string Describe(string step, string message)
    {
        var (_, en) = Halves(message);
        return $"{Chinese(step, message)} (the workflow stopped at step '{step}': {en}. " +
            "Once the cause is fixed, press Retry and it carries on from that step)";
    }

    /// <summary>The Chinese half alone, for a notice's body (its template words each language from the task's note).</summary>
    public static string Chinese(string step, string message) =>
        $"审批流程在“{step}”环节中断：{Halves(message).Zh}。修复原因后请点“重试”，流程将从该环节继续";

    /// <summary>The fault's detail in each language: its own halves, its Chinese words for both, or for a message in
    /// English only (a script error) a plain Chinese sentence and the message itself in English.</summary>
    public static (string Zh, string En) Halves(string message)
    {
        // "Error: x (line 1, column 7)" ends in parentheses too: only a Chinese first half makes it a bilingual message.
        if (Bilingual.TrySplit(message, out var zh, out var en) && Bilingual.HasChinese(zh))
        {
            return (Clip(zh.TrimEnd('。')), Clip(Safe(en)));
        }

        return Bilingual.HasChinese(message)
            ? (Clip(message.Trim().TrimEnd('。')), Clip(Safe(message.Trim())))
            : ("程序运行出错（详情见流程实例的执行日志）", Clip(Safe(message.Trim())));
    }

    /// <summary>Whether the incident is a budget stop (a runaway loop) rather than a fault of the step itself.</summary>
    public static bool IsBudget(Incident incident) =>
        incident.Exception?.Type == typeof(BudgetExceededException).FullName;

    private static string Clip(string text) => text.Length <= MaxDetail ? text : text[..(MaxDetail - 1)] + "…";

    /// <summary>Parentheses inside the English half would confuse the split of the whole note: square ones instead.</summary>
    private static string Safe(string text) => text.Replace('(', '[').Replace(')', ']');
}
