using System.Net;
using Microsoft.Playwright;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.IntegrationTests.Browser;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

/// <summary>No Graph settings: the embedded default. The Hangfire server runs, so the delivery jobs do.</summary>
public sealed class LocalOutboxFixture() : BrowserFixture(new AppFactory(settings: new Dictionary<string, string>
{
    ["Notifications:PublicBaseUrl"] = "https://safety.town.example.com",
    ["Hangfire:ServerEnabled"] = "true",
    ["Hangfire:SchedulePollingInterval"] = "00:00:00.2",
    ["Hangfire:QueuePollInterval"] = "00:00:00.2",
}));

public sealed class LocalOutboxTests(LocalOutboxFixture fixture) : IClassFixture<LocalOutboxFixture>
{
    private NotificationProbe Probe => new(fixture.App);

    [Fact]
    public async Task WithoutGraph_AssignmentDecisionReminderAndEscalation_LandInTheOutbox_EachOfficialSeesTheirOwn()
    {
        var driver = new ApprovalDriver(fixture.App);
        var title = "东岳社区安全生产责任书 " + Guid.NewGuid().ToString("N")[..4];
        var documentId = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("dongyue-community"), title);
        await driver.DecideAsync("wangqiang", documentId, "approve", "同意，请分管领导审批");
        var leaderTask = Assert.Single(await driver.OpenTasksAsync("liuhua", documentId));
        var now = DateTimeOffset.UtcNow;
        var reminder = new Notification("liuhua", NotificationKind.Reminder, "催办", "请尽快办理", documentId, leaderTask, now);
        var escalation = new Notification("zhoujun", NotificationKind.Escalation, "督办", "已超期", documentId, leaderTask, now);

        await Probe.AddAsync(reminder, escalation);

        var decided = (await Probe.ForRecipientAsync("zhaomin")).Single(x => x.Notification.Kind == NotificationKind.Decided && x.Notification.DocumentId == documentId);
        Assert.Equal(DeliveryChannel.LocalOutbox, decided.Delivery.Channel);
        var decidedOut = await Probe.SettledAsync(decided.Notification.Id, DeliveryChannel.LocalOutbox);
        Assert.Equal($"【办理结果】安办负责人审核：{title}", decidedOut.Subject);
        Assert.Contains("结果：同意", decidedOut.TextBody, StringComparison.Ordinal);
        Assert.Contains("同意，请分管领导审批", decidedOut.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://safety.town.example.com/documents/{documentId}", decidedOut.TextBody, StringComparison.Ordinal);
        var reminderOut = await Probe.SettledAsync(reminder.Id, DeliveryChannel.LocalOutbox);
        Assert.Equal($"【催办】分管安全副镇长审批：{title}", reminderOut.Subject);
        Assert.Contains($"https://safety.town.example.com/tasks/{leaderTask}", reminderOut.TextBody, StringComparison.Ordinal);
        var escalationOut = await Probe.SettledAsync(escalation.Id, DeliveryChannel.LocalOutbox);
        Assert.Equal($"【督办】分管安全副镇长审批：{title}", escalationOut.Subject);
        Assert.Single(await Probe.DeliveriesAsync(escalation.Id));

        var leader = WebUtility.HtmlDecode(await (await fixture.App.ClientForAsync("liuhua")).GetStringAsync("/outbox"));
        Assert.Contains(($"【催办】分管安全副镇长审批：{title}"), leader, StringComparison.Ordinal);
        Assert.DoesNotContain(($"【督办】分管安全副镇长审批：{title}"), leader, StringComparison.Ordinal);
        var admin = WebUtility.HtmlDecode(await (await fixture.App.ClientForAsync("admin")).GetStringAsync("/outbox"));
        Assert.Contains(($"【督办】分管安全副镇长审批：{title}"), admin, StringComparison.Ordinal);
        Assert.Contains(($"【催办】分管安全副镇长审批：{title}"), admin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_InTheBrowser_ShowsTheMessagesInChinese_AndTheTrailShowsWhatWasSent()
    {
        var driver = new ApprovalDriver(fixture.App);
        var title = "青山村 2024 年安全生产责任书 " + Guid.NewGuid().ToString("N")[..4];
        var documentId = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), title);
        var task = Assert.Single(await driver.OpenTasksAsync("wangqiang", documentId));
        var reminder = new Notification("wangqiang", NotificationKind.Reminder, "催办", "请尽快办理", documentId, task, DateTimeOffset.UtcNow);
        await Probe.AddAsync(reminder);
        await Probe.SettledAsync(reminder.Id, DeliveryChannel.LocalOutbox);
        var page = await fixture.NewPageAsync();

        await BrowserFixture.SignInAsync(page, "wangqiang");
        await page.GotoAsync("/outbox");

        var item = page.Locator(".outbox li", new() { HasText = $"【催办】安办负责人审核：{title}" });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await Assertions.Expect(item.Locator(".status")).ToHaveTextAsync("已送达");
        await Assertions.Expect(item.Locator(".body")).ToContainTextAsync($"https://safety.town.example.com/tasks/{task}");
        await Assertions.Expect(page.Locator(".outbox li", new() { HasText = $"【待办】安办负责人审核：{title}" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "20-outbox-official");

        await page.GotoAsync($"/tasks/{task}");
        var notices = page.Locator(".trail .notice[data-kind=Reminder]");
        await Assertions.Expect(notices).ToContainTextAsync("催办 → 王强");
        await Assertions.Expect(notices).ToContainTextAsync("站内发件箱：已送达");
        await BrowserFixture.ScreenshotAsync(page, "21-trail-notices");

        var admin = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(admin, "admin");
        await admin.GotoAsync("/outbox");
        await Assertions.Expect(admin.Locator(".outbox li", new() { HasText = $"【催办】安办负责人审核：{title}" })).ToContainTextAsync("收件人 王强");
        Assert.False(await admin.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the outbox scrolls sideways on a phone");
        await BrowserFixture.ScreenshotAsync(admin, "22-outbox-admin-phone");
    }
}
