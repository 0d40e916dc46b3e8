using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Documents;

public sealed class DocumentStagesTests
{
    private static readonly DateTimeOffset T1 = DocumentBuilder.T0.AddHours(1);

    [Theory]
    [InlineData(Libraries.RectificationOrders, DocumentStatus.Approved, DocumentStages.Issued)]
    [InlineData(Libraries.EmergencyPlans, DocumentStatus.Approved, DocumentStages.Pending)]
    [InlineData(Libraries.ResponsibilityLetters, DocumentStatus.Approved, DocumentStages.Pending)]
    [InlineData(Libraries.ResponsibilityLetters, DocumentStatus.Signed, DocumentStages.Signed)]
    [InlineData(Libraries.RectificationOrders, DocumentStatus.Closed, DocumentStages.Closed)]
    [InlineData(Libraries.EmergencyPlans, DocumentStatus.Draft, DocumentStages.Draft)]
    public void FromStatus_SaysTheStatusInTheLibrarysWords(string library, DocumentStatus status, string stage) =>
        Assert.Equal(stage, DocumentStages.FromStatus(library, status));

    [Fact]
    public void SetStage_StandsUntilTheNextStatusMove()
    {
        var document = new DocumentBuilder().In(SeededLibraries.RectificationOrder).Build();
        document.Submit(T1);
        document.Approve("workflow", T1);

        document.SetStage(DocumentStages.Rectifying, T1);
        var whileRectifying = DocumentStages.Of(document);
        document.Close(T1);

        Assert.Equal(DocumentStages.Rectifying, whileRectifying);
        Assert.Equal(DocumentStages.Closed, DocumentStages.Of(document));
        Assert.Null(document.Stage);
    }

    [Fact]
    public void SetStage_Throws_WhenTheKeyIsUnknown_OrTheDocumentIsADraft()
    {
        var draft = new DocumentBuilder().In(SeededLibraries.RectificationOrder).Build();
        var pending = new DocumentBuilder().In(SeededLibraries.RectificationOrder).Build();
        pending.Submit(T1);

        Assert.Throws<DomainException>(() => draft.SetStage(DocumentStages.Rectifying, T1));
        Assert.Contains("overdue", Assert.Throws<DomainException>(() => pending.SetStage("overdue", T1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetMetadataValue_KeepsTheOtherFields()
    {
        var document = new DocumentBuilder().In(SeededLibraries.EmergencyPlan).Build();

        document.SetMetadataValue("publishedOn", "2026-03-02", T1);
        document.SetMetadataValue("lastDrill", "2026-03-03", T1);

        Assert.Equal("""{"publishedOn":"2026-03-02","lastDrill":"2026-03-03"}""", document.MetadataJson);
    }
}
