namespace SafetyWorkflows.Core.Documents;

/// <summary>
/// A document's status in the office's words, per library (隐患整改 草稿 → 审批中 → 已下达 → 整改中 → 待复查 → 已销号 …). The
/// keys are a contract (API <c>status</c>, README); the words are <see cref="Labels"/>.
/// A chain sets a stage through <c>SetDocumentStatus</c>; without one the stage follows the generic
/// <see cref="DocumentStatus"/>, and every generic move clears a stage the chain set, so the two never disagree.
/// </summary>
public static class DocumentStages
{
    public const string Draft = "draft";
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Issued = "issued";
    public const string Rectifying = "rectifying";
    public const string Reinspection = "reinspection";
    public const string Closed = "closed";
    public const string Published = "published";
    public const string Filed = "filed";
    public const string Signed = "signed";
    public const string Rejected = "rejected";
    public const string Archived = "archived";

    /// <summary>Every key, in the order the README lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        [Draft, Pending, Approved, Issued, Rectifying, Reinspection, Closed, Published, Filed, Signed, Rejected, Archived];

    /// <summary>The stages each shipped library's chain walks through (<c>approved</c> only for a library without its own words).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByLibrary = new Dictionary<string, IReadOnlyList<string>>
    {
        [Libraries.RectificationOrders] = [Draft, Pending, Issued, Rectifying, Reinspection, Closed, Rejected, Archived],
        [Libraries.EmergencyPlans] = [Draft, Pending, Published, Filed, Rejected, Archived],
        [Libraries.ResponsibilityLetters] = [Draft, Pending, Signed, Rejected, Archived],
    };

    /// <summary>Each stage in Chinese and English: the one place the words live (the web's <c>UiText</c> reads them from here).</summary>
    public static readonly IReadOnlyDictionary<string, (string Zh, string En)> Labels = new Dictionary<string, (string, string)>
    {
        [Draft] = ("草稿", "Draft"),
        [Pending] = ("审批中", "In approval"),
        [Approved] = ("已批准", "Approved"),
        [Issued] = ("已下达", "Issued"),
        [Rectifying] = ("整改中", "Being rectified"),
        [Reinspection] = ("待复查", "Awaiting re-inspection"),
        [Closed] = ("已销号", "Closed"),
        [Published] = ("已公布", "Published"),
        [Filed] = ("已备案", "Filed"),
        [Signed] = ("已签订", "Signed"),
        [Rejected] = ("已驳回", "Rejected"),
        [Archived] = ("已归档", "Archived"),
    };

    /// <summary>A stage's words, or its key when it has none.</summary>
    public static string Words(string stage, bool english = false) =>
        Labels.TryGetValue(stage, out var words) ? english ? words.En : words.Zh : stage;

    public static bool IsKnown(string stage) => All.Contains(stage);

    /// <summary>The stage a document shows: the one its chain set, else the one its generic status means in its library.</summary>
    public static string Of(Document document) => document.Stage ?? FromStatus(document.LibraryKey, document.Status);

    /// <summary>
    /// A generic status in a library's words: an approved rectification order is issued (已下达); an approved letter or plan
    /// is still in approval (审批中) until it is signed or published.
    /// </summary>
    public static string FromStatus(string libraryKey, DocumentStatus status) => (libraryKey, status) switch
    {
        (Libraries.RectificationOrders, DocumentStatus.Approved) => Issued,
        (Libraries.EmergencyPlans or Libraries.ResponsibilityLetters, DocumentStatus.Approved) => Pending,
        _ => status.ToString().ToLowerInvariant(),
    };
}
