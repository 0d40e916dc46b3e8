using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Notifications;

/// <summary>
/// How an official wants to hear from the app: which Graph channels, in which language, and whether mail comes one by
/// one or as one daily digest. Without a row the defaults apply (mail and Teams where configured, zh-CN, no digest).
/// </summary>
public sealed class NotificationPreference
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    private NotificationPreference()
    {
    }

    public NotificationPreference(string userName)
    {
        UserName = userName;
    }

    public string UserName { get; private set; } = "";

    public bool Mail { get; private set; } = true;

    public bool Teams { get; private set; } = true;

    public string Language { get; private set; } = Chinese;

    public bool DailyDigest { get; private set; }

    public static NotificationPreference Default(string userName) => new(userName);

    public void Change(bool mail, bool teams, string? language, bool dailyDigest)
    {
        if (language is not (Chinese or English))
        {
            throw new InputValidationException("language", $"language must be {Chinese} or {English}");
        }

        Mail = mail;
        Teams = teams;
        Language = language;
        DailyDigest = dailyDigest;
    }
}
