using System.Globalization;
using System.Text.Json;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// One metadata value of a document, kept beside its <c>MetadataJson</c> so that lists can filter and sort by any column,
/// including columns an administrator adds later, with indexes instead of parsing JSON row by row. Written in the same
/// unit of work as the document (<see cref="SafetyDbContext"/>), so the two never disagree.
/// </summary>
public sealed class DocumentField
{
    public const int SortTextLength = 100;

    /// <summary>The document's unit, kept as a field so that a list's count never reads the documents themselves.</summary>
    public const string UnitKey = "$unit";

    /// <summary>The document's stage (<see cref="DocumentStages.Of"/>), kept as a field for the same reason.</summary>
    public const string StageKey = "$stage";

    public Guid DocumentId { get; set; }

    /// <summary>The document's library: column keys repeat across libraries, and every index starts here.</summary>
    public string LibraryKey { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>The start of a text value (equality of choices, units and people; the order of texts and dates).</summary>
    public string? SortText { get; set; }

    /// <summary>The whole value as text (contains-filters on text columns).</summary>
    public string? Text { get; set; }

    /// <summary>Numbers, and yes/no as 1/0: their order and ranges.</summary>
    public double? Number { get; set; }

    /// <summary>Every field row of a document: its metadata values, its unit and its stage.</summary>
    public static IEnumerable<DocumentField> For(Document document)
    {
        foreach (var field in From(document.Id, document.LibraryKey, document.MetadataJson))
        {
            yield return field;
        }

        yield return System(document, UnitKey, document.UnitId);
        yield return System(document, StageKey, DocumentStages.Of(document));
    }

    /// <summary>The system fields' values now (after a stage or unit change without a metadata change).</summary>
    public static void Refresh(DocumentField field, Document document)
    {
        var value = field.Key == UnitKey ? document.UnitId : DocumentStages.Of(document);
        field.Text = field.SortText = value.Length > SortTextLength ? value[..SortTextLength] : value;
    }

    private static DocumentField System(Document document, string key, string value)
    {
        var field = new DocumentField { DocumentId = document.Id, LibraryKey = document.LibraryKey, Key = key };
        Refresh(field, document);
        return field;
    }

    public static IEnumerable<DocumentField> From(Guid documentId, string libraryKey, string metadataJson)
    {
        using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(metadataJson) ? "{}" : metadataJson);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name.StartsWith('$'))
            {
                continue;   // the system fields' names; column keys never start with '$'
            }

            var value = property.Value;
            var field = new DocumentField { DocumentId = documentId, LibraryKey = libraryKey, Key = property.Name };
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var text = value.GetString() ?? "";
                    field.Text = text;
                    field.SortText = text.Length > SortTextLength ? text[..SortTextLength] : text;
                    break;
                case JsonValueKind.Number:
                    field.Number = value.GetDouble();
                    field.Text = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    field.Number = value.ValueKind == JsonValueKind.True ? 1 : 0;
                    field.Text = field.SortText = value.ValueKind == JsonValueKind.True ? "true" : "false";
                    break;
                default:
                    continue;
            }

            yield return field;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DocumentId}/{Key}={Text}");
}
