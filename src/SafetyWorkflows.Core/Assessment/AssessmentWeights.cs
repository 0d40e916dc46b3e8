using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Assessment;

/// <summary>
/// The administrator's weights of the annual assessment (考核) and the accident severity that vetoes a unit (一票否决).
/// One row; every change is checked here and audited by the caller.
/// </summary>
public sealed class AssessmentWeights
{
    public const int SingletonId = 1;

    /// <summary>Accident severities in rising order (生产安全事故等级).</summary>
    public static readonly IReadOnlyList<string> Severities = ["一般", "较大", "重大", "特别重大"];

    private AssessmentWeights()
    {
    }

    public int Id { get; private set; } = SingletonId;

    public int Letter { get; private set; } = 20;

    public int Hazards { get; private set; } = 30;

    public int Statistics { get; private set; } = 15;

    public int Drills { get; private set; } = 20;

    public int Training { get; private set; } = 15;

    /// <summary>An accident of this severity or worse vetoes the unit.</summary>
    public string VetoSeverity { get; private set; } = "较大";

    public DateTimeOffset? UpdatedAt { get; private set; }

    public string? UpdatedBy { get; private set; }

    public int Total => Letter + Hazards + Statistics + Drills + Training;

    public static AssessmentWeights Default() => new();

    public void Change(int letter, int hazards, int statistics, int drills, int training, string? vetoSeverity, string by, DateTimeOffset at)
    {
        Check("letter", letter);
        Check("hazards", hazards);
        Check("statistics", statistics);
        Check("drills", drills);
        Check("training", training);
        if (letter + hazards + statistics + drills + training == 0)
        {
            throw new InputValidationException("letter", "权重合计须大于 0 (the weights must not all be zero).");
        }

        if (vetoSeverity is null || !Severities.Contains(vetoSeverity))
        {
            throw new InputValidationException("vetoSeverity",
                $"否决的事故等级须为: {string.Join("、", Severities)} (vetoSeverity must be one of the listed severities).");
        }

        (Letter, Hazards, Statistics, Drills, Training, VetoSeverity, UpdatedBy, UpdatedAt) =
            (letter, hazards, statistics, drills, training, vetoSeverity, by, at);
    }

    public static int SeverityRank(string? severity) => severity is null ? -1 : Severities.ToList().IndexOf(severity);

    private static void Check(string field, int value)
    {
        if (value is < 0 or > 100)
        {
            throw new InputValidationException(field, $"权重须为 0–100 的整数 ({field} must be a whole number from 0 to 100).");
        }
    }
}

/// <summary>Where the weights are kept (one row; the default when none is stored yet).</summary>
public interface IAssessmentWeightsStore
{
    /// <summary>The stored weights, tracked for a change, or a new default row added to the unit of work.</summary>
    Task<AssessmentWeights> GetAsync(CancellationToken cancellationToken);

    Task SaveAsync(CancellationToken cancellationToken);
}
