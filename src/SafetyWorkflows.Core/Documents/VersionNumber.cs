using System.Globalization;

namespace SafetyWorkflows.Core.Documents;

/// <summary>A SharePoint-style version: drafts are minor (0.1, 0.2, 1.1), publishing makes the next major (1.0, 2.0).</summary>
public readonly record struct VersionNumber(int Major, int Minor) : IComparable<VersionNumber>
{
    public static readonly VersionNumber First = new(0, 1);

    public VersionNumber NextMinor() => new(Major, Minor + 1);

    public VersionNumber NextMajor() => new(Major + 1, 0);

    public int CompareTo(VersionNumber other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    public static bool TryParse(string? text, out VersionNumber version)
    {
        version = default;
        var parts = text?.Split('.');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new VersionNumber(major, minor);
        return true;
    }

    public static bool operator <(VersionNumber left, VersionNumber right) => left.CompareTo(right) < 0;

    public static bool operator >(VersionNumber left, VersionNumber right) => left.CompareTo(right) > 0;

    public static bool operator <=(VersionNumber left, VersionNumber right) => left.CompareTo(right) <= 0;

    public static bool operator >=(VersionNumber left, VersionNumber right) => left.CompareTo(right) >= 0;
}
