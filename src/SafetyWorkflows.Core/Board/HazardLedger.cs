using System.Globalization;
using System.Text.Json;
using SafetyWorkflows.Core.Calendar;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Board;

/// <summary>One rectification order as the ledger source reads it: the document's own columns, nothing else.</summary>
public sealed record HazardRecord(
    Guid DocumentId, string Title, string UnitId, DocumentStatus Status, string? Stage, string MetadataJson, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Still to be put right: submitted or issued, not yet struck off (销号).</summary>
    public bool IsOpen => Status is DocumentStatus.Pending or DocumentStatus.Approved or DocumentStatus.Signed or DocumentStatus.Published;

    public bool IsClosed => Status == DocumentStatus.Closed;
}

/// <summary>
/// What the order's chain recorded (<c>workflows/rectification-order.json</c>): who listed it (挂牌督办) and whether it was
/// de-listed (摘牌), who signed it for the unit (签收), when the evidence went in, who re-inspected it and when.
/// </summary>
public sealed record HazardSteps
{
    public string? ListedBy { get; init; }

    public bool Delisted { get; init; }

    public string? SignedBy { get; init; }

    public DateTimeOffset? EvidenceAt { get; init; }

    public string? ReinspectedBy { get; init; }

    public DateTimeOffset? ReinspectedAt { get; init; }
}

/// <summary>
/// Reads the rectification orders the board counts (every order that left Draft and was not rejected or archived) and the
/// steps of their chains. Implemented with EF projections in Infrastructure, so the board never loads whole aggregates.
/// </summary>
public interface IHazardLedgerSource
{
    /// <summary>The orders of <paramref name="units"/> (null: every unit).</summary>
    Task<IReadOnlyList<HazardRecord>> ListAsync(IReadOnlySet<string>? units, CancellationToken cancellationToken);

    /// <summary>
    /// A token that changes whenever the board's answer may change: an order is added, changed or removed (every change
    /// moves its <c>UpdatedAt</c>), or a listing step is decided (completed tasks only ever grow in number).
    /// </summary>
    Task<string> FingerprintAsync(CancellationToken cancellationToken);

    /// <summary>The recorded steps by document. <paramref name="full"/> false reads the listing steps only (the board).</summary>
    Task<IReadOnlyDictionary<Guid, HazardSteps>> StepsAsync(bool full, CancellationToken cancellationToken);
}

/// <summary>The activity ids of the shipped rectification-order chain the ledger reads; a renamed step drops out of the ledger.</summary>
public static class HazardActivities
{
    public const string Listed = "listed";
    public const string Delisted = "delist";
    public const string Acknowledged = "ack";
    public const string Evidence = "evidence";
    public const string Reinspected = "reinspect";
}

/// <summary>The metadata of an order the ledger reads (隐患描述, 部位, 等级, 整改期限), parsed once per row.</summary>
public readonly record struct HazardFacts(string Description, string Location, string Grade, DateOnly? Deadline)
{
    public const string General = "一般";
    public const string Major = "重大";

    public bool IsMajor => Grade == Major;

    public static HazardFacts Parse(string metadataJson)
    {
        string description = "", location = "", grade = "";
        DateOnly? deadline = null;
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(metadataJson));
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case "hazardDescription": description = reader.GetString() ?? ""; break;
                case "location": location = reader.GetString() ?? ""; break;
                case "grade": grade = reader.GetString() ?? ""; break;
                case "deadline":
                    var text = reader.GetString() ?? "";
                    if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    {
                        deadline = day;
                    }

                    break;
            }
        }

        return new HazardFacts(description, location, grade, deadline);
    }
}

/// <summary>Dates of the board: the office's day is China's day.</summary>
public static class BoardDates
{
    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, WorkingCalendar.China).DateTime);
}
