using Moq;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.UnitTests.Core.Documents;

public sealed class MetadataValidatorTests
{
    private readonly MetadataValidator _validator;

    public MetadataValidatorTests()
    {
        var directory = new Mock<IOrganisationDirectory>();
        directory.Setup(d => d.FindUnitAsync("shitang-quarry", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Unit("shitang-quarry", "石塘采石场", null, UnitKind.Enterprise, "town-gov", "非煤矿山"));
        directory.Setup(d => d.FindOfficialAsync("wujie", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Official("wujie", "吴杰", "wujie@town.example.com", "safety-station", [Roles.Inspector], "x"));
        _validator = new MetadataValidator(directory.Object);
    }

    [Fact]
    public async Task Validate_NormalisesTypes()
    {
        var result = await _validator.ValidateAsync(SeededLibraries.RectificationOrder,
            """{"inspectedUnit":"shitang-quarry","hazardDescription":" 边坡浮石 ","location":"采区","grade":"重大","deadline":"2024-05-01","inspector":"wujie"}""",
            CancellationToken.None);

        Assert.Equal("边坡浮石", result["hazardDescription"]!.GetValue<string>());
        Assert.Equal("2024-05-01", result["deadline"]!.GetValue<string>());
        Assert.False(result.ContainsKey("legalBasis"));
    }

    [Fact]
    public async Task Validate_TurnsANumericStringYearIntoANumber()
    {
        var directory = new Mock<IOrganisationDirectory>();
        directory.Setup(d => d.FindUnitAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Unit("qingshan-village", "青山村", null, UnitKind.Village, null, null));

        var result = await new MetadataValidator(directory.Object).ValidateAsync(SeededLibraries.ResponsibilityLetter,
            """{"counterpartyUnit":"qingshan-village","year":"2024","counterpartyKind":"村(社区)"}""", CancellationToken.None);

        Assert.Equal(2024, result["year"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"inspectedUnit":"nowhere","hazardDescription":"x","location":"y","grade":"一般","deadline":"2024-05-01"}""", "metadata.inspectedUnit")]
    [InlineData("""{"inspectedUnit":"shitang-quarry","hazardDescription":"x","location":"y","grade":"一般","deadline":"2024-05-01","inspector":"nobody"}""", "metadata.inspector")]
    [InlineData("""{"inspectedUnit":"shitang-quarry","hazardDescription":{"a":1},"location":"y","grade":"一般","deadline":"2024-05-01"}""", "metadata.hazardDescription")]
    [InlineData("""{"inspectedUnit":"shitang-quarry","hazardDescription":"x","location":"","grade":"一般","deadline":"2024-05-01"}""", "metadata.location")]
    [InlineData("""{"inspectedUnit":"shitang-quarry","hazardDescription":"x","location":"y","grade":"一般","deadline":"2024-02-30"}""", "metadata.deadline")]
    [InlineData("\"just a string\"", "metadata")]
    public async Task Validate_NamesTheFieldAtFault(string json, string field)
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _validator.ValidateAsync(SeededLibraries.RectificationOrder, json, CancellationToken.None));

        Assert.Equal(field, ex.Field);
    }
}
