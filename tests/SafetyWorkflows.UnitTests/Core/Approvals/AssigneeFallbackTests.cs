using Moq;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.UnitTests.Core.Approvals;

public sealed class AssigneeFallbackTests
{
    private readonly Mock<IAssigneeResolver> _resolver = new();
    private readonly Mock<IOrganisationDirectory> _directory = new();

    public AssigneeFallbackTests()
    {
        _directory.Setup(d => d.ListRolesAsync(It.IsAny<CancellationToken>())).ReturnsAsync([new RoleName("inspector", "检查员/网格员", "Inspector")]);
        _directory.Setup(d => d.FindUnitAsync("hongxing-village", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Unit("hongxing-village", "红星村", "Hongxing Village", UnitKind.Village, "town-gov", null));
    }

    private void Resolves(string entry, params string[] userNames) =>
        _resolver.Setup(r => r.ResolveAsync(It.Is<IEnumerable<string>>(e => e.SequenceEqual(new[] { entry })), It.IsAny<CancellationToken>()))
            .ReturnsAsync(userNames);

    [Fact]
    public async Task ResolveAsync_KeepsTheAssignees_WhenSomeoneOtherThanTheSubmitterResolves()
    {
        Resolves("unit:shitang-quarry", "dengfei");

        var (assignees, note) = await AssigneeFallback.ResolveAsync(_resolver.Object, _directory.Object, ["unit:shitang-quarry"], "签收", "wujie", CancellationToken.None);

        Assert.Equal(["dengfei"], assignees);
        Assert.Null(note);
    }

    [Fact]
    public async Task ResolveAsync_GoesToTheSafetyHead_WithANote_WhenOnlyTheSubmitterResolves()
    {
        Resolves("unit:nobody", "wujie");
        Resolves("role:safety-head", "wangqiang");

        var (assignees, note) = await AssigneeFallback.ResolveAsync(_resolver.Object, _directory.Object, ["unit:nobody"], "签收", "wujie", CancellationToken.None);

        Assert.Equal(["wangqiang"], assignees);
        Assert.Equal("原定办理人（unit:nobody）无人可指派，已转安办负责人 (no one could be assigned as unit:nobody; passed to the head of the safety office)", note);
    }

    [Fact]
    public async Task TheNote_NamesUnitsAndRoles_AsPeopleReadThem()
    {
        var note = await AssigneeFallback.NoteAsync(_directory.Object, ["unit:hongxing-village", "inspector"], CancellationToken.None);

        Assert.Equal("原定办理人（红星村、检查员/网格员）无人可指派，已转安办负责人 (no one could be assigned as Hongxing Village, Inspector; passed to the head of the safety office)", note);
    }

    [Fact]
    public async Task ResolveAsync_Throws_WhenThereIsNoSafetyHeadEither()
    {
        Resolves("unit:nobody");
        Resolves("role:safety-head", "wangqiang");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AssigneeFallback.ResolveAsync(_resolver.Object, _directory.Object, ["unit:nobody"], "签收", "wangqiang", CancellationToken.None));

        Assert.Contains("没有可指派的办理人", ex.Message, StringComparison.Ordinal);
    }
}
