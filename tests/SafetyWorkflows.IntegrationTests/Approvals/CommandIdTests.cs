using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Approvals;

/// <summary>
/// A decision's commandId belongs to its task and its caller (issue 15, finding 3): looked up only after the task and the
/// caller are checked, refused (409 naming it) on another task or by another caller, and a duplicate sent at the same
/// instant answers what the first answered.
/// </summary>
public sealed class CommandIdTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    private ApprovalDriver Driver => new(App);

    [Fact]
    public async Task SomeoneElsesCommandId_OnTheirOwnTask_Is409_AndLeaksNothing()
    {
        var first = await Driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（命令一）");
        var head = await App.ClientForAsync("wangqiang");
        var task = Assert.Single(await Driver.OpenTasksAsync("wangqiang", first));
        var commandId = Guid.NewGuid().ToString();
        var decided = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId, action = "approve", opinion = "同意" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        // The deputy mayor now has the next task; replaying the safety head's command id on it is refused, naming it.
        var leader = await App.ClientForAsync("liuhua");
        var leaderTask = Assert.Single(await Driver.OpenTasksAsync("liuhua", first));
        var replay = await leader.PostAsJsonAsync($"/api/tasks/{leaderTask}/decisions", new { commandId, action = "approve", opinion = "同意" });
        var problem = await ProblemAssert.IsProblemAsync(replay, HttpStatusCode.Conflict);
        Assert.Equal(commandId, problem.GetProperty("commandId").GetString());
        Assert.DoesNotContain(task.ToString(), await replay.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Single(await Driver.OpenTasksAsync("liuhua", first));

        // Replaying it on the safety head's own, now closed, task by someone else is 403, not the stored answer.
        var stranger = await leader.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId, action = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);

        // The safety head's own replay answers what it answered the first time.
        var again = await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId, action = "approve", opinion = "同意" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await decided.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnesOwnCommandId_OnAnotherTask_Is409_AndThatTaskStaysOpen()
    {
        var a = await Driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（命令二甲）");
        var b = await Driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), "青山村责任书（命令二乙）");
        var head = await App.ClientForAsync("wangqiang");
        var commandId = Guid.NewGuid().ToString();
        var taskA = Assert.Single(await Driver.OpenTasksAsync("wangqiang", a));
        var taskB = Assert.Single(await Driver.OpenTasksAsync("wangqiang", b));
        Assert.Equal(HttpStatusCode.OK, (await head.PostAsJsonAsync($"/api/tasks/{taskA}/decisions", new { commandId, action = "approve" })).StatusCode);

        var reused = await head.PostAsJsonAsync($"/api/tasks/{taskB}/decisions", new { commandId, action = "approve" });

        await ProblemAssert.IsProblemAsync(reused, HttpStatusCode.Conflict);
        Assert.Single(await Driver.OpenTasksAsync("wangqiang", b));
    }

    [Fact]
    public async Task TheSameCommand_SentTwiceAtOnce_AnswersTheSameTwice()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await Driver.UploadAndSubmitAsync("zhaomin", "responsibility-letters", TestFiles.LetterMetadata(), $"青山村责任书（并发 {round}）");
            var task = Assert.Single(await Driver.OpenTasksAsync("wangqiang", id));
            var one = await App.ClientForAsync("wangqiang");
            var two = await App.ClientForAsync("wangqiang");
            var body = new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意" };

            var answers = await Task.WhenAll(
                one.PostAsJsonAsync($"/api/tasks/{task}/decisions", body),
                two.PostAsJsonAsync($"/api/tasks/{task}/decisions", body));

            var texts = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
            Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"round {round}: {(int)a.StatusCode} {string.Join(" | ", texts)}"));
            Assert.Equal(JsonDocument.Parse(texts[0]).RootElement.GetProperty("taskId").GetGuid(), JsonDocument.Parse(texts[1]).RootElement.GetProperty("taskId").GetGuid());
            Assert.Single(await Driver.OpenTasksAsync("liuhua", id));
        }
    }
}
