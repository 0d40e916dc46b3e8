using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.IntegrationTests.Notifications;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>A chain never stops on "no assignee": the step goes to the safety head with a note; publishing only warns.</summary>
public sealed class AssigneeFallbackTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(App);

    [Fact]
    public async Task RectificationOrder_ForAUnitWithoutAnOfficial_GoesToTheSafetyHead_WithANote_AndDoesNotFault()
    {
        var unit = await UnitWithoutOfficialAsync();
        var id = await Driver.UploadAndSubmitAsync("wujie", "rectification-orders", new
        {
            inspectedUnit = unit, hazardDescription = "灭火器过期", location = "店堂", grade = "一般", deadline = "2026-12-30",
        }, "无人小卖部消防隐患整改通知");

        await Driver.DecideAsync("wangqiang", id, "approve", "同意下达");

        var head = await App.ClientForAsync("wangqiang");
        var next = Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
        var task = (await head.GetFromJsonAsync<JsonElement>($"/api/tasks/{next}")).GetProperty("task");
        var note = task.GetProperty("assignmentNote").GetString();
        Assert.Contains("原定办理人（无人小卖部）无人可指派，已转安办负责人", note, StringComparison.Ordinal);
        Assert.DoesNotContain("unit:", note, StringComparison.Ordinal);
        Assert.Contains("head of the safety office", note, StringComparison.Ordinal);
        Assert.Equal(0, await App.ScalarAsync("SELECT COUNT(*) FROM WorkflowInstances WHERE SubStatus = 'Faulted'"));
        Assert.Equal(1, await App.ScalarAsync(
            $"SELECT COUNT(*) FROM Notifications WHERE Recipient = 'wangqiang' AND TaskId = '{next.ToString().ToUpperInvariant()}' AND Body LIKE '%已转安办负责人%'"));
        var (told, delivery) = (await new NotificationProbe(App).ForRecipientAsync("wangqiang")).First(x => x.Notification.TaskId == next);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var message = await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().RenderAsync(told, delivery, CancellationToken.None);
            Assert.Contains("已转安办负责人", message.TextBody, StringComparison.Ordinal);
        }

        var page = WebUtility.HtmlDecode(await (await head.GetAsync($"/tasks/{next}")).Content.ReadAsStringAsync());
        Assert.Contains("已转安办负责人", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WarnsAboutALiteralAssigneeThatResolvesToNobody_ButPublishes()
    {
        var unit = await UnitWithoutOfficialAsync();
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse($$"""
            {
              "id": "fallback-warning-v1", "definitionId": "fallback-warning", "name": "Fallback warning", "version": 1,
              "root": {
                "id": "flow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "version": 1 },
                  { "id": "review", "name": "审核", "type": "SafetyWorkflows.RequestApproval", "version": 1,
                    "assignees": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"unit:{{unit}}\", \"wangqiang\", \"user:nobody\"]" } } }
                ],
                "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "review", "port": "In" } } ]
              }
            }
            """);

        var response = await admin.PostAsync("/elsa/api/workflow-definitions",
            new StringContent(new JsonObject { ["model"] = model, ["publish"] = true }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("workflowDefinition").GetProperty("isPublished").GetBoolean());
        Assert.Empty(body.GetProperty("validationErrors").EnumerateArray());
        var warnings = body.GetProperty("warnings").EnumerateArray().ToList();
        Assert.Equal([$"unit:{unit}", "user:nobody"], warnings.Select(w => w.GetProperty("assignee").GetString()!).ToArray());
        Assert.All(warnings, w => Assert.Equal("review", w.GetProperty("activityId").GetString()));
        Assert.Contains("运行时将转安办负责人", warnings[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        var republished = await admin.PostAsync("/elsa/api/workflow-definitions/fallback-warning/publish", null);
        Assert.Equal(2, (await republished.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warnings").GetArrayLength());
    }

    /// <summary>The seeds give every unit someone who signs, so the test makes one that has nobody.</summary>
    private async Task<string> UnitWithoutOfficialAsync()
    {
        var id = $"test-shop-{Guid.NewGuid():N}"[..24];
        await App.ExecuteAsync($"INSERT INTO Units (Id, Name, NameEn, Kind, ParentId, Sector) VALUES ('{id}', '无人小卖部', 'Unstaffed shop', 'Enterprise', 'hongxing-village', NULL)");
        return id;
    }
}
