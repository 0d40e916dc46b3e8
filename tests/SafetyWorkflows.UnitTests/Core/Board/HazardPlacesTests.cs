using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.UnitTests.Core.Board;

public sealed class HazardPlacesTests
{
    private static readonly Unit[] Units =
    [
        new("town-gov", "镇人民政府", "Town government", UnitKind.Government, null, null),
        new("safety-station", "安监站", "Safety station", UnitKind.Department, "town-gov", null),
        new("dongyue-community", "东岳社区", "Dongyue Community", UnitKind.Community, "town-gov", null),
        new("qingshan-village", "青山村", "Qingshan Village", UnitKind.Village, "town-gov", null),
        new("huaqiao-primary", "花桥完小", "Huaqiao Primary", UnitKind.School, "qingshan-village", null),
        new("quarry", "石塘采石场", "Shitang Quarry", UnitKind.Enterprise, "qingshan-village", "非煤矿山"),
        new("site", "安置房项目部", null, UnitKind.Enterprise, "dongyue-community", "建筑施工"),
    ];

    [Theory]
    [InlineData("huaqiao-primary", "qingshan-village", "学校")]
    [InlineData("quarry", "qingshan-village", "非煤矿山")]
    [InlineData("qingshan-village", "qingshan-village", "村(社区)")]
    [InlineData("site", "dongyue-community", "建筑施工")]
    [InlineData("safety-station", HazardPlaces.Township, "机关站所")]
    [InlineData("gone-unit", HazardPlaces.Township, "其他")]
    public void Of_FindsTheNearestVillageAndTheIndustry(string unitId, string village, string industry)
    {
        var places = new HazardPlaces(Units);

        var place = places.Of(unitId);

        Assert.Equal((village, industry), (place.VillageId, place.Industry));
    }

    [Fact]
    public void VisibleUnits_OfAVillageHead_AreTheVillageAndItsUnits()
    {
        var places = new HazardPlaces(Units);

        var units = places.VisibleUnits(Actor(Roles.VillageHead, "qingshan-village"));

        Assert.Equal(["huaqiao-primary", "qingshan-village", "quarry"], units!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void VisibleUnits_OfAUnitPrincipal_IsTheirUnit_AndOfTheSafetyOffice_Everything()
    {
        var places = new HazardPlaces(Units);

        Assert.Equal(["quarry"], places.VisibleUnits(Actor(Roles.UnitPrincipal, "quarry")));
        Assert.Null(places.VisibleUnits(Actor(Roles.SafetyClerk, "safety-station")));
        Assert.Null(places.VisibleUnits(Actor(Roles.Inspector, "safety-station")));
    }

    [Theory]
    [InlineData(Roles.Expert)]
    [InlineData(Roles.SecurityAdmin)]
    [InlineData(Roles.AuditAdmin)]
    public void VisibleUnits_Throws_WhenTheRoleMayNotOpenTheBoard(string role)
    {
        var places = new HazardPlaces(Units);

        Assert.Throws<ForbiddenException>(() => places.VisibleUnits(Actor(role, "town-gov")));
        Assert.False(HazardPlaces.MayOpen(Actor(role, "town-gov")));
    }

    [Fact]
    public void HazardFacts_Parse_ReadsTheLedgerColumns_AndIgnoresTheRest()
    {
        var facts = HazardFacts.Parse("""{"inspectedUnit":"quarry","nested":{"grade":"一般"},"hazardDescription":"边坡松动","location":"北采区","grade":"重大","deadline":"2026-03-20","year":2026}""");

        Assert.Equal(new HazardFacts("边坡松动", "北采区", "重大", new DateOnly(2026, 3, 20)), facts);
        Assert.True(facts.IsMajor);
        Assert.Null(HazardFacts.Parse("""{"deadline":"soon"}""").Deadline);
    }

    private static Actor Actor(string role, string unit) => new("someone", "某人", new HashSet<string> { role }, unit);
}
