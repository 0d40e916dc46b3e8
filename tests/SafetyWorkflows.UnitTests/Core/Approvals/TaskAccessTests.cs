using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.UnitTests.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Approvals;

public sealed class TaskAccessTests
{
    private static readonly Document Letter = new DocumentBuilder().ForUnit("qingshan-village").Build();

    [Fact]
    public void CanSee_IsTrue_ForTheAssignee_AndWhoeverSeesTheDocument_FalseForAnotherUnit()
    {
        var task = TaskFor("wangqiang", Letter.Id);

        Assert.True(TaskAccess.CanSee(Actor("wangqiang", Roles.SafetyHead, "safety-committee"), task, Letter));
        Assert.True(TaskAccess.CanSee(Actor("liuhua", Roles.LeaderInCharge, "town-gov"), task, Letter));
        Assert.True(TaskAccess.CanSee(Actor("yangshan", Roles.VillageHead, "qingshan-village"), task, Letter));
        Assert.False(TaskAccess.CanSee(Actor("heping", Roles.UnitPrincipal, "xiangnan-chemical"), task, Letter));
        Assert.False(TaskAccess.CanSee(Actor("linfang", Roles.Expert, "expert-pool"), task, Letter));
    }

    [Fact]
    public void CanSee_ATaskWithoutADocument_IsForItsAssigneeAndAdministratorsOnly()
    {
        var task = TaskFor("liuhua", null);

        Assert.True(TaskAccess.CanSee(Actor("liuhua", Roles.LeaderInCharge, "town-gov"), task, null));
        Assert.True(TaskAccess.CanSee(Actor("admin", Roles.Admin, "town-gov"), task, null));
        Assert.False(TaskAccess.CanSee(Actor("sunli", Roles.Mayor, "town-gov"), task, null));
    }

    [Fact]
    public void CanAct_IsTheAssigneesAlone_NotAnAdministrators()
    {
        var task = TaskFor("wangqiang", Letter.Id);

        Assert.True(TaskAccess.CanAct(Actor("wangqiang", Roles.SafetyHead, "safety-committee"), task));
        Assert.False(TaskAccess.CanAct(Actor("admin", Roles.Admin, "town-gov"), task));
    }

    [Fact]
    public void CanFollow_IsTrue_ForSomeoneWhoHadATaskOnTheDocument_EvenWithoutSeeingIt()
    {
        var expert = Actor("linfang", Roles.Expert, "expert-pool");

        Assert.True(TaskAccess.CanFollow(expert, Letter, [TaskFor("wangqiang", Letter.Id), TaskFor("linfang", Letter.Id)]));
        Assert.False(TaskAccess.CanFollow(expert, Letter, [TaskFor("wangqiang", Letter.Id)]));
    }

    [Fact]
    public void CanReceive_IsFalse_ForAnOfficialWhoMayNotSeeTheDocument()
    {
        var villageHead = new Official("yangshan", "杨山", "y@example.com", "qingshan-village", [Roles.VillageHead], "x");
        var principal = new Official("heping", "何平", "h@example.com", "xiangnan-chemical", [Roles.UnitPrincipal], "x");

        Assert.True(TaskAccess.CanReceive(villageHead, Letter));
        Assert.False(TaskAccess.CanReceive(principal, Letter));
        Assert.True(TaskAccess.CanReceive(principal, null));
    }

    private static Actor Actor(string userName, string role, string unitId) => new(userName, userName, new HashSet<string> { role }, unitId);

    private static ApprovalTask TaskFor(string assignee, Guid? documentId) =>
        new(Guid.NewGuid(), documentId, "instance", "review", "review-1", "bookmark", "安办负责人审核", TaskKind.Approval, assignee, "zhaomin", 0, DocumentBuilder.T0, null);
}
