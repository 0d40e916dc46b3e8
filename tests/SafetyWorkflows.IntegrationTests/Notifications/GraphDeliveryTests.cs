using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Microsoft.AspNetCore.Http;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Notifications;

/// <summary>The app with Graph configured (Cloud=Custom) against the fakes, and its Hangfire server running the delivery jobs.</summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public FakeGraph Fake { get; private set; } = null!;

    public AppFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fake = await FakeGraph.StartAsync();
        App = new AppFactory(settings: new Dictionary<string, string>
        {
            ["Graph:TenantId"] = FakeGraph.TenantId,
            ["Graph:ClientId"] = FakeGraph.ClientId,
            ["Graph:ClientSecret"] = FakeGraph.ClientSecret,
            ["Graph:SenderUserId"] = FakeGraph.Sender,
            ["Graph:Cloud"] = "Custom",
            ["Graph:BaseUrl"] = new Uri(Fake.Graph.BaseUri, "v1.0").ToString(),
            ["Graph:AuthorityHost"] = Fake.Authority.BaseUri.ToString(),
            ["Graph:EnableTeams"] = "true",
            ["Graph:TeamsAppId"] = FakeGraph.TeamsAppId,
            ["Notifications:PublicBaseUrl"] = "https://safety.town.example.com",
            ["Notifications:RetryDelay"] = "00:00:00.5",
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:SchedulePollingInterval"] = "00:00:00.2",
            ["Hangfire:QueuePollInterval"] = "00:00:00.2",
        });
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

public sealed class GraphDeliveryTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private FakeGraph Fake => fixture.Fake;

    private NotificationProbe Probe => new(fixture.App, fixture.Fake);

    [Fact]
    public async Task TaskAssigned_IsMailedThroughGraph_OnceWithTokenAndJson_AndPostedToTeams()
    {
        var driver = new ApprovalDriver(fixture.App);
        var title = $"青山村安全生产责任书 {Guid.NewGuid():N}"[..20];

        var documentId = await driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata("qingshan-village"), title);

        var taskId = Assert.Single(await driver.OpenTasksAsync("wangqiang", documentId));
        var notification = (await Probe.ForRecipientAsync("wangqiang")).Select(x => x.Notification).First(n => n.TaskId == taskId);
        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        var teams = await Probe.SettledAsync(notification.Id, DeliveryChannel.Teams);
        Assert.Equal(DeliveryStatus.Sent, mail.Status);
        Assert.Equal(DeliveryStatus.Sent, teams.Status);
        Assert.Equal(1, mail.Attempts);

        var token = Assert.IsType<RecordedRequest>(Fake.Authority.Requests.FirstOrDefault(r => r.Path == $"/{FakeGraph.TenantId}/oauth2/v2.0/token"), exactMatch: false);
        Assert.Equal("POST", token.Method);
        var form = HttpUtility.ParseQueryString(token.Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(FakeGraph.ClientId, form["client_id"]);
        Assert.Equal($"https://127.0.0.1:{Fake.Graph.BaseUri.Port}/.default", form["scope"]);

        var (request, body) = Assert.Single(Fake.SendMails("wangqiang@town.example.com"), m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == mail.MessageId);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/users/{FakeGraph.Sender}/sendMail", request.Path);
        Assert.Equal("Bearer " + Fake.AccessToken, request.Authorization);
        var message = body["message"]!;
        Assert.Equal($"【待办】安办负责人审核：{title}", message["subject"]!.GetValue<string>());
        Assert.Equal("html", message["body"]!["contentType"]!.GetValue<string>());
        Assert.Contains($"https://safety.town.example.com/tasks/{taskId}", message["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("您有一件待办", message["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("王强", message["toRecipients"]![0]!["emailAddress"]!["name"]!.GetValue<string>());
        Assert.True(body["saveToSentItems"]!.GetValue<bool>());
        Assert.Contains($"https://safety.town.example.com/tasks/{taskId}", mail.TextBody, StringComparison.Ordinal);

        var (noticeRequest, notice) = Assert.Single(Fake.ActivityNotices("wangqiang@town.example.com"), n => n.Body["topic"]!["value"]!.GetValue<string>().Contains(title, StringComparison.Ordinal));
        Assert.Equal("Bearer " + Fake.AccessToken, noticeRequest.Authorization);
        Assert.Equal("safetyNotice", notice["activityType"]!.GetValue<string>());
        Assert.Equal("text", notice["topic"]!["source"]!.GetValue<string>());
        Assert.StartsWith($"https://teams.microsoft.com/l/entity/{FakeGraph.TeamsAppId}/", notice["topic"]!["webUrl"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_429WithRetryAfter_IsSentAgainAfterTheDelay_ExactlyOnceInTheEnd()
    {
        Fake.Script("liuhua@town.example.com", () => FakeGraph.GraphError(429, "TooManyRequests", "Application is over its MailboxConcurrency limit.", "1.5"));

        var notification = (await Probe.AddAsync(Message("liuhua", "限流测试")))[0];

        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Sent, mail.Status);
        var sends = Fake.SendMails("liuhua@town.example.com").Where(m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == mail.MessageId).ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal(1, Fake.SentItems.Keys.Count(k => k == mail.MessageId));
        Assert.Equal(2, mail.Attempts);
        Assert.Equal(1, mail.Throttled);
        Assert.Contains("TooManyRequests", mail.LastError ?? "", StringComparison.Ordinal);

        // The second attempt waited for Retry-After: it came no earlier than the time the 429 set (app clock, not a stopwatch).
        Assert.True(mail.LastAttemptAt >= mail.NextAttemptAt, $"second attempt {mail.LastAttemptAt:O} before the Retry-After time {mail.NextAttemptAt:O}");
    }

    [Fact]
    public async Task Unavailable_503WithRetryAfterDate_ThenSuccess_IsSentOnce()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture);
        Fake.Script("zhoujun@town.example.com", () => FakeGraph.GraphError(503, "ServiceUnavailable", "Service is temporarily unavailable.", at));

        var notification = (await Probe.AddAsync(Message("zhoujun", "服务不可用测试")))[0];

        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Sent, mail.Status);
        Assert.Equal(2, Fake.SendMails("zhoujun@town.example.com").Count(m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == mail.MessageId));
        Assert.Equal(1, mail.Throttled);
        Assert.True(mail.LastAttemptAt >= mail.NextAttemptAt);
    }

    [Fact]
    public async Task BadRequest_400_FailsWithTheReason_NotRetried_AndAdministratorsSeeIt()
    {
        Fake.Script("sunli@town.example.com", () => FakeGraph.GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid."));

        var notification = (await Probe.AddAsync(Message("sunli", "无效收件人测试")))[0];

        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Failed, mail.Status);
        Assert.Equal(1, mail.Attempts);
        Assert.Contains("ErrorInvalidRecipients", mail.LastError, StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Single(Fake.SendMails("sunli@town.example.com"), m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == mail.MessageId);
        var outbox = System.Net.WebUtility.HtmlDecode(await (await fixture.App.ClientForAsync("admin")).GetStringAsync("/outbox?status=Failed"));
        Assert.Contains("ErrorInvalidRecipients", outbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecipientWithoutMailbox_IsReported_NotRetried()
    {
        await fixture.App.ExecuteAsync("UPDATE Officials SET Email = '' WHERE UserName = 'xieyun'");

        var notification = (await Probe.AddAsync(Message("xieyun", "无邮箱测试")))[0];

        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Failed, mail.Status);
        Assert.Contains("no mail address", mail.LastError, StringComparison.Ordinal);
        Assert.Equal(0, mail.Attempts);
    }

    [Fact]
    public async Task CrashBetweenSentAndRecorded_IsReconciledFromSentItems_NoSecondMail()
    {
        var notification = (await Probe.AddAsync(Message("wujie", "中断对账测试")))[0];
        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Sent, mail.Status);

        // What the database holds if the process died after Graph answered 202 and before the outcome was committed.
        await LeaveSendingAsync(mail);
        await Probe.SweepAsync();

        var reconciled = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Sent, reconciled.Status);
        Assert.Contains("Sent Items", reconciled.LastError, StringComparison.Ordinal);
        Assert.Single(Fake.SendMails("wujie@town.example.com"), m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == mail.MessageId);
        Assert.Contains(Fake.Graph.Requests, r => r.Method == "GET" && r.Path.EndsWith("/mailFolders/sentitems/messages", StringComparison.OrdinalIgnoreCase)
            && HttpUtility.ParseQueryString(r.Query)["$filter"] == $"internetMessageId eq '{mail.MessageId}'");
    }

    [Fact]
    public async Task CrashBeforeGraphTookTheMail_IsSentAgain_WithTheSameInternetMessageId()
    {
        var notification = (await Probe.AddAsync(Message("zhengyu", "中断重发测试")))[0];
        var mail = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);

        // The claim was committed, but the mail never reached Graph (Sent Items does not have it).
        Fake.SentItems.TryRemove(mail.MessageId, out _);
        await LeaveSendingAsync(mail);
        await Probe.SweepAsync();

        await WaitAsync(() => Fake.SentItems.ContainsKey(mail.MessageId));
        var resent = await Probe.SettledAsync(notification.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Sent, resent.Status);
        var sends = Fake.SendMails("zhengyu@town.example.com").Where(m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == mail.MessageId).ToList();
        Assert.Equal(2, sends.Count);
    }

    [Fact]
    public async Task ReminderAndEscalation_ReachGraph_WithTheRightRecipientsAndLanguage()
    {
        var driver = new ApprovalDriver(fixture.App);
        var documentId = await driver.UploadAndSubmitAsync("chenjing", "responsibility-letters", TestFiles.LetterMetadata("liutang-village"), "柳塘村责任书 催办督办");
        var taskId = Assert.Single(await driver.OpenTasksAsync("wangqiang", documentId));
        await Probe.PreferAsync("liuhua", mail: true, teams: false, language: "en");
        var now = DateTimeOffset.UtcNow;

        var reminder = new Notification("wangqiang", NotificationKind.Reminder, "催办", "请尽快办理", documentId, taskId, now);
        var escalation = new Notification("liuhua", NotificationKind.Escalation, "督办", "已超期", documentId, taskId, now);

        await Probe.AddAsync(reminder, escalation);

        var reminderMail = await Probe.SettledAsync(reminder.Id, DeliveryChannel.Mail);
        var escalationMail = await Probe.SettledAsync(escalation.Id, DeliveryChannel.Mail);
        Assert.Equal(DeliveryStatus.Sent, reminderMail.Status);
        Assert.Equal(DeliveryStatus.Sent, escalationMail.Status);
        Assert.DoesNotContain(await Probe.DeliveriesAsync(escalation.Id), d => d.Channel == DeliveryChannel.Teams);

        var toAssignee = Assert.Single(Fake.SendMails("wangqiang@town.example.com"), m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == reminderMail.MessageId).Body["message"]!;
        Assert.Equal("【催办】安办负责人审核：柳塘村责任书 催办督办", toAssignee["subject"]!.GetValue<string>());
        Assert.Contains($"https://safety.town.example.com/tasks/{taskId}", toAssignee["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);

        var toLeader = Assert.Single(Fake.SendMails("liuhua@town.example.com"), m => m.Body["message"]!["internetMessageId"]!.GetValue<string>() == escalationMail.MessageId).Body["message"]!;
        Assert.Equal("[Escalation] 安办负责人审核: 柳塘村责任书 催办督办", toLeader["subject"]!.GetValue<string>());
        Assert.Contains("is overdue and is escalated to you", toLeader["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("assigned to 王强", toLeader["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"https://safety.town.example.com/documents/{documentId}", toLeader["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("en", escalationMail.Language);
        Assert.Equal("zh-CN", reminderMail.Language);
    }

    [Fact]
    public async Task DailyDigest_HoldsMailsBack_ThenSendsOneMailForAll_AtDigestTime()
    {
        await Probe.PreferAsync("tangwei", mail: true, teams: false, language: "zh-CN", digest: true);

        var notifications = await Probe.AddAsync(Message("tangwei", "汇总一"), Message("tangwei", "汇总二"));

        var held = (await Probe.DeliveriesAsync(notifications[0].Id)).Single();
        Assert.True(held.Digest);
        Assert.Equal(DeliveryStatus.Pending, held.Status);
        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(held.NextAttemptAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));
        Assert.Empty(Fake.SendMails("tangwei@dongyue.example.com"));

        // The digest time has come (moved, not waited for).
        await fixture.App.ExecuteAsync($"UPDATE NotificationDeliveries SET NextAttemptAt = {DateTimeOffset.UtcNow.AddMinutes(-1).UtcTicks} WHERE Recipient = 'tangwei'");
        await Probe.SendDigestsAsync();

        var after = (await Probe.DeliveriesAsync(notifications[0].Id)).Single();
        Assert.True(after.Status == DeliveryStatus.Sent, $"{after.Status} {after.Attempts} {after.LastError} {after.NextAttemptAt:O}");
        var digest = Assert.Single(Fake.SendMails("tangwei@dongyue.example.com")).Body["message"]!;
        Assert.Equal("【每日汇总】您有 2 条通知", digest["subject"]!.GetValue<string>());
        Assert.Contains("汇总一", digest["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("汇总二", digest["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var notification in notifications)
        {
            Assert.Equal(DeliveryStatus.Sent, (await Probe.DeliveriesAsync(notification.Id)).Single().Status);
        }
    }

    private static Notification Message(string recipient, string subject) =>
        new(recipient, NotificationKind.Message, subject, $"{subject}：正文", null, null, DateTimeOffset.UtcNow);

    private async Task LeaveSendingAsync(NotificationDelivery delivery)
    {
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-10).UtcTicks;
        await fixture.App.ExecuteAsync(
            $"UPDATE NotificationDeliveries SET Status = 'Sending', SentAt = NULL, LastError = NULL, LastAttemptAt = {longAgo} WHERE Id = '{delivery.Id.ToString().ToUpperInvariant()}'");
        Assert.Equal(1, await fixture.App.ScalarAsync($"SELECT COUNT(*) FROM NotificationDeliveries WHERE Status = 'Sending' AND Id = '{delivery.Id.ToString().ToUpperInvariant()}'"));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
