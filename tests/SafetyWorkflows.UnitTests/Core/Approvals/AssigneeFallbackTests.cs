using Moq;
using SafetyWorkflows.Core.Approvals;

namespace SafetyWorkflows.UnitTests.Core.Approvals;

public sealed class AssigneeFallbackTests
{
    private readonly Mock<IAssigneeResolver> _resolver = new();

    private void Resolves(string entry, params string[] userNames) =>
        _resolver.Setup(r => r.ResolveAsync(It.Is<IEnumerable<string>>(e => e.SequenceEqual(new[] { entry })), It.IsAny<CancellationToken>()))
            .ReturnsAsync(userNames);

    [Fact]
    public async Task ResolveAsync_KeepsTheAssignees_WhenSomeoneOtherThanTheSubmitterResolves()
    {
        Resolves("unit:shitang-quarry", "dengfei");

        var (assignees, note) = await AssigneeFallback.ResolveAsync(_resolver.Object, ["unit:shitang-quarry"], "签收", "wujie", CancellationToken.None);

        Assert.Equal(["dengfei"], assignees);
        Assert.Null(note);
    }

    [Fact]
    public async Task ResolveAsync_GoesToTheSafetyHead_WithANote_WhenOnlyTheSubmitterResolves()
    {
        Resolves("unit:nobody", "wujie");
        Resolves("role:safety-head", "wangqiang");

        var (assignees, note) = await AssigneeFallback.ResolveAsync(_resolver.Object, ["unit:nobody"], "签收", "wujie", CancellationToken.None);

        Assert.Equal(["wangqiang"], assignees);
        Assert.Equal("原定办理人（unit:nobody）无人可指派，已转安办负责人 (no one could be assigned as unit:nobody; passed to the head of the safety office)", note);
    }

    [Fact]
    public async Task ResolveAsync_Throws_WhenThereIsNoSafetyHeadEither()
    {
        Resolves("unit:nobody");
        Resolves("role:safety-head", "wangqiang");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AssigneeFallback.ResolveAsync(_resolver.Object, ["unit:nobody"], "签收", "wangqiang", CancellationToken.None));

        Assert.Contains("没有可指派的办理人", ex.Message, StringComparison.Ordinal);
    }
}
