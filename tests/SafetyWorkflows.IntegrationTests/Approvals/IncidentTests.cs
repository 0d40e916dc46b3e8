using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.IntegrationTests.Notifications;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>
/// No silent dead ends (issue 15, finding 1): a chain step that faults raises an incident that the decision's answer,
/// the document (API and page), the task page, /admin/clocks and the safety head's and administrators' inboxes show;
/// 重试 after the cause is fixed carries the chain on from the failed step and closes the 流程异常 tasks.
/// </summary>
public sealed class IncidentTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Chain = "responsibility-letter";

    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(App);

    [Fact]
    public async Task AFaultingStep_IsVisibleEverywhere_AndRetryAfterTheFix_CarriesTheChainOn()
    {
        var admin = await App.ClientForAsync("admin");
        await FaultingChain.PublishAsync(admin, Chain, FaultingChain.Throws);
        var id = await Driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("shuangqiao-village"), "双桥村 2024 年安全生产责任书（流程异常）");
        var head = await App.ClientForAsync("wangqiang");
        var review = Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
        var commandId = Guid.NewGuid().ToString();

        var decided = await head.PostAsJsonAsync($"/api/tasks/{review}/decisions", new { commandId, action = "approve", opinion = "同意" });

        // The decision was taken (200), and the answer says the chain stopped, where, and who was told.
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var answer = await decided.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("chainStopped").GetBoolean());
        Assert.Equal("Approved", answer.GetProperty("outcome").GetString());
        Assert.Equal("登记备案", answer.GetProperty("incident").GetProperty("step").GetString());
        var notified = answer.GetProperty("notified").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("王强", notified);
        Assert.Contains("系统管理员", notified);
        var repeated = await head.PostAsJsonAsync($"/api/tasks/{review}/decisions", new { commandId, action = "approve", opinion = "同意" });
        Assert.True((await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chainStopped").GetBoolean());

        // The document's API names the incident in plain words, in the reader's language.
        var document = await Driver.DocumentAsync(id);
        var incident = Assert.Single(document.GetProperty("incidents").EnumerateArray().ToList());
        Assert.Equal("fault", incident.GetProperty("kind").GetString());
        Assert.Contains("登记备案", incident.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("程序运行出错", incident.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("registry", incident.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("registry offline", incident.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("registry offline", (await EnglishDocumentAsync(id)).GetProperty("incidents")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // The pages: the decider's task page, the document page (重试 only for those who may), the administrators' clocks page.
        var taskPage = await PageAsync(head, $"/tasks/{review}");
        Assert.Contains("您的办理结果已记录，但审批流程随后中断", taskPage, StringComparison.Ordinal);
        Assert.Contains("“登记备案”环节中断", taskPage, StringComparison.Ordinal);
        Assert.Contains("已通知：王强、系统管理员", taskPage, StringComparison.Ordinal);
        Assert.DoesNotContain("registry offline", taskPage, StringComparison.Ordinal);
        Assert.Contains("Your decision was recorded, but the workflow stopped after it", await PageAsync(head, $"/tasks/{review}?culture=en"), StringComparison.Ordinal);
        var clerkPage = await PageAsync(await App.ClientForAsync("zhaomin"), $"/documents/{id}");
        Assert.Contains("流程异常", clerkPage, StringComparison.Ordinal);
        Assert.Contains("“登记备案”环节中断", clerkPage, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"incidentId\"", clerkPage, StringComparison.Ordinal);
        Assert.Contains("name=\"incidentId\"", await PageAsync(head, $"/documents/{id}"), StringComparison.Ordinal);
        var clocks = await PageAsync(admin, "/admin/clocks");
        Assert.Contains("双桥村 2024 年安全生产责任书（流程异常）", clocks, StringComparison.Ordinal);
        Assert.Contains("“登记备案”环节中断", clocks, StringComparison.Ordinal);

        // The safety head and the administrators each have a 流程异常 task, offering 重试, and a notice in the outbox.
        var headIncident = await IncidentTaskAsync("wangqiang", id);
        var adminIncident = await IncidentTaskAsync("admin", id);
        Assert.Equal(["retry"], headIncident.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()!).ToArray());
        var (told, delivery) = (await new NotificationProbe(App).ForRecipientAsync("wangqiang")).Single(n => n.Notification.Kind == NotificationKind.WorkflowStopped);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var message = await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().RenderAsync(told, delivery, CancellationToken.None);
            Assert.Contains("【流程异常】", message.Subject, StringComparison.Ordinal);
            Assert.Contains("登记备案", message.TextBody, StringComparison.Ordinal);
            Assert.Contains($"/tasks/{headIncident.GetProperty("id").GetGuid()}", message.TextBody, StringComparison.Ordinal);
        }

        Assert.Equal(1, await App.ScalarAsync("SELECT COUNT(*) FROM Notifications WHERE Kind = 'WorkflowStopped' AND Recipient = 'admin'"));

        // Only the safety head and administrators retry; before the fix a retry stops again, and says so.
        var clerkRetry = await (await App.ClientForAsync("zhaomin")).PostAsync(RetryUrl(incident), null);
        await ProblemAssert.IsProblemAsync(clerkRetry, HttpStatusCode.Forbidden);
        var early = await admin.PostAsync(RetryUrl(incident), null);
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        var earlyAnswer = await early.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(earlyAnswer.GetProperty("resumed").GetBoolean());
        Assert.Single(earlyAnswer.GetProperty("incidents").EnumerateArray());
        Assert.Single(earlyAnswer.GetProperty("document").GetProperty("incidents").EnumerateArray());

        // The cause is fixed (the step corrected and published); the safety head retries from his 流程异常 task.
        await FaultingChain.PublishAsync(admin, Chain, FaultingChain.Works);
        var retried = await head.PostAsJsonAsync($"/api/tasks/{headIncident.GetProperty("id").GetGuid()}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "retry" });

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var retriedAnswer = await retried.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(retriedAnswer.GetProperty("chainStopped").GetBoolean());
        Assert.Equal("Resumed", retriedAnswer.GetProperty("outcome").GetString());
        Assert.Equal("Approved", await Driver.StatusAsync(id));
        Assert.Empty((await Driver.DocumentAsync(id)).GetProperty("incidents").EnumerateArray());
        Assert.Equal("Completed", await TaskStatusAsync(admin, headIncident.GetProperty("id").GetGuid()));
        Assert.Equal("Cancelled", await TaskStatusAsync(admin, adminIncident.GetProperty("id").GetGuid()));
        Assert.DoesNotContain("双桥村 2024 年安全生产责任书（流程异常）", await PageAsync(admin, "/admin/clocks"), StringComparison.Ordinal);
        Assert.Equal(0, await App.ScalarAsync("SELECT COUNT(*) FROM WorkflowInstances WHERE SubStatus = 'Faulted'"));
    }

    private async Task<JsonElement> IncidentTaskAsync(string userName, Guid documentId)
    {
        var list = await (await App.ClientForAsync(userName)).GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
        return Assert.Single(list.GetProperty("items").EnumerateArray().Where(t =>
            t.GetProperty("kind").GetString() == "Incident" && t.GetProperty("documentId").ToString() == documentId.ToString()).ToList());
    }

    private async Task<JsonElement> EnglishDocumentAsync(Guid id)
    {
        var admin = await App.ClientForAsync("admin");
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return await admin.GetFromJsonAsync<JsonElement>($"/api/documents/{id}");
    }

    private static async Task<string?> TaskStatusAsync(HttpClient admin, Guid taskId) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}")).GetProperty("task").GetProperty("status").GetString();

    private static string RetryUrl(JsonElement incident) => incident.GetProperty("retryUrl").GetString()!;

    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
