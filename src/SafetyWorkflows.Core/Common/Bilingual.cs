namespace SafetyWorkflows.Core.Common;

/// <summary>
/// Messages are written "中文说明 (English explanation)": the English part is the last balanced parenthesis group at the
/// end, after a space. Pages show the reader's half (<c>UiText.Message</c>); notes and notices built from a message use
/// the halves to word a new one.
/// </summary>
public static class Bilingual
{
    /// <summary>Splits <paramref name="message"/> into its Chinese and English halves; false when it has no English half.</summary>
    public static bool TrySplit(string message, out string zh, out string en)
    {
        zh = en = "";
        var text = message.Trim().TrimEnd('.');
        if (text.LastIndexOf(" (", StringComparison.Ordinal) <= 0 || !text.EndsWith(')'))
        {
            return false;
        }

        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            depth += text[i] == ')' ? 1 : text[i] == '(' ? -1 : 0;
            if (depth != 0)
            {
                continue;
            }

            if (i == 0 || text[i - 1] != ' ')
            {
                return false;
            }

            zh = text[..(i - 1)].TrimEnd();
            en = text[(i + 1)..^1].Trim();
            return zh.Length > 0 && en.Length > 0;
        }

        return false;
    }

    /// <summary>Whether <paramref name="text"/> has Chinese characters (a message someone wrote in Chinese only).</summary>
    public static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
