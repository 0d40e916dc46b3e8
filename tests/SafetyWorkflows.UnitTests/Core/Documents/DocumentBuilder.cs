using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Documents;

internal sealed class DocumentBuilder
{
    public static readonly DateTimeOffset T0 = new(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private string _by = "zhaomin";
    private string _unit = "qingshan-village";
    private Library _library = SeededLibraries.ResponsibilityLetter;

    public DocumentBuilder By(string userName)
    {
        _by = userName;
        return this;
    }

    public DocumentBuilder ForUnit(string unitId)
    {
        _unit = unitId;
        return this;
    }

    public DocumentBuilder In(Library library)
    {
        _library = library;
        return this;
    }

    public Document Build() =>
        Document.Upload(_library, "青山村责任书", _unit, "{}", File("a"), _by, T0);

    public static StoredFile File(string seed) => new(new string(seed[0], 64).ToUpperInvariant(), $"{seed}.pdf", "application/pdf", 10);
}
