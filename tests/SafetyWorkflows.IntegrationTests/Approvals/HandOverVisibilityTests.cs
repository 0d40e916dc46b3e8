using System.Net;
using System.Net.Http.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>
/// A hand-over gives the receiver the document through the task (issue 15, finding 4): it goes only to someone who may
/// see that document anyway. A company's principal cannot pass the company's order to another village's head.
/// </summary>
public sealed class HandOverVisibilityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task AUnitPrincipal_CannotHandTheirOrder_ToAnotherVillagesHead_ButMayToTheSafetyOffice()
    {
        var driver = new ApprovalDriver(fixture.App);
        var id = await driver.UploadAndSubmitAsync("zhaomin", "rectification-orders", new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = "配电箱未接地", location = "配电室", grade = "一般", deadline = "2027-02-01", inspector = "wujie",
        }, "湘南化工配电箱整改通知");
        await driver.DecideAsync("wangqiang", id, "approve", "同意下达");
        var task = Assert.Single(await driver.OpenTasksAsync("heping", id));
        var principal = await fixture.App.ClientForAsync("heping");

        foreach (var action in new[] { "reassign", "copy" })
        {
            var refused = await principal.PostAsJsonAsync($"/api/tasks/{task}/decisions",
                new { commandId = Guid.NewGuid().ToString(), action, toUserName = "yangshan", opinion = "请代为签收" });
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "toUserName");
        }

        Assert.Empty(await driver.OpenTasksAsync("yangshan", id));
        var allowed = await principal.PostAsJsonAsync($"/api/tasks/{task}/decisions",
            new { commandId = Guid.NewGuid().ToString(), action = "reassign", toUserName = "chenjing", opinion = "请安办协助" });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Single(await driver.OpenTasksAsync("chenjing", id));
    }
}
