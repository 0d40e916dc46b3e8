using Moq;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.UnitTests.Core.Approvals;

public sealed class AssigneeResolverTests
{
    private readonly Mock<IOrganisationDirectory> _directory = new();

    public AssigneeResolverTests()
    {
        _directory.Setup(d => d.ListOfficialsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Official("wangqiang", "王强", "wangqiang@town.example.com", "safety-office", [Roles.SafetyHead], "x"),
            new Official("liuhua", "刘华", "liuhua@town.example.com", "town-gov", [Roles.LeaderInCharge], "x"),
            new Official("dengfei", "邓飞", "dengfei@town.example.com", "shitang-quarry", [Roles.UnitPrincipal], "x"),
        ]);
        _directory.Setup(d => d.ListUnitsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Unit("shitang-quarry", "石塘采石场", "Shitang Quarry", UnitKind.Enterprise, "town-gov", null),
        ]);
    }

    [Fact]
    public async Task RoleEntries_ResolveFromTheOfficials_WithoutReadingTheUnits()
    {
        var resolved = await new AssigneeResolver(_directory.Object).ResolveAsync([Roles.SafetyHead, "role:leader-in-charge"], CancellationToken.None);

        Assert.Equal(["wangqiang", "liuhua"], resolved);
        _directory.Verify(d => d.ListUnitsAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task BareEntries_AreToldApart_UnitsOnceForAll()
    {
        var resolved = await new AssigneeResolver(_directory.Object).ResolveAsync(["shitang-quarry", "liuhua", "unit:shitang-quarry", "group:nobody"], CancellationToken.None);

        Assert.Equal(["dengfei", "liuhua"], resolved);
        _directory.Verify(d => d.ListUnitsAsync(It.IsAny<CancellationToken>()), Times.Once);
    }
}
