using System.Globalization;
using System.Text.Json.Nodes;
using Cronos;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.Workflows.Activities;

/// <summary>Stimulus names of the bookmarks and triggers our activities create (Elsa's names).</summary>
public static class StimulusNames
{
    public const string Event = "Elsa.Event";
    public const string RunTask = "Elsa.RunTask";
    public const string Delay = "Elsa.Delay";
    public const string Timer = "Elsa.Timer";
    public const string StartAt = "Elsa.StartAt";
    public const string Cron = "Elsa.Cron";

    /// <summary>The timer-like bookmarks the host hands to <c>IWorkflowScheduler</c>.</summary>
    public static bool IsTimer(string name) => name is Delay or Timer or StartAt or Cron;
}

/// <summary>Helpers shared by trigger activities.</summary>
internal static class Triggers
{
    /// <summary>True when this activity is the trigger that started the instance (it then completes at once, once).</summary>
    public static bool StartedThisRun(ActivityExecutionContext context)
    {
        var state = context.Execution.State.Properties;
        if (state["triggerActivityId"]?.GetValue<string>() != context.Node.Id || state["triggerConsumed"] is not null)
        {
            return false;
        }

        state["triggerConsumed"] = true;
        return true;
    }
}

/// <summary><c>Elsa.Event</c>: waits for a named event (bookmark <c>{EventName}</c>, found by name alone); as a trigger it starts workflows.</summary>
public sealed class Event : IResumableActivity, ITriggerActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var eventName = await context.EvaluateStringAsync("eventName") ?? "";
        if (Triggers.StartedThisRun(context))
        {
            await ResumeAsync(context, null!, null);
            return;
        }

        context.CreateBookmark(StimulusNames.Event, new JsonObject { ["EventName"] = eventName });
    }

    /// <summary>The event's payload arrives as the workflow input <c>__EventPayloadWorkflowInput</c> (Elsa's key).</summary>
    public async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? input)
    {
        context.SetOutput("result", Values.FromJson(context.Execution.State.Input[PayloadInputKey]));
        await context.CompleteAsync();
    }

    public const string PayloadInputKey = "__EventPayloadWorkflowInput";

    public async ValueTask<IReadOnlyList<TriggerSpec>> GetTriggersAsync(ActivityNode node, TriggerIndexingContext context)
    {
        var eventName = Values.AsText(await context.EvaluateInputAsync(node, "eventName", "String")) ?? "";
        return [new TriggerSpec(StimulusNames.Event, new JsonObject { ["EventName"] = eventName })];
    }
}

/// <summary><c>Elsa.PublishEvent</c>: publishes an event; the host resumes matching bookmarks and starts matching triggers after commit.</summary>
public sealed class PublishEvent : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var eventName = await context.EvaluateStringAsync("eventName");
        if (string.IsNullOrWhiteSpace(eventName))
        {
            throw new InvalidOperationException("PublishEvent has no event name");
        }

        var correlationId = await context.EvaluateStringAsync("correlationId");
        var isLocal = await context.EvaluateBoolAsync("isLocalEvent");
        var payload = await context.EvaluateInputAsync("payload", "Object");
        context.Execution.AddPublishedEvent(new PublishedEvent(eventName, string.IsNullOrEmpty(correlationId) ? null : correlationId, isLocal, context.Execution.State.Id, Values.ToJson(payload)));
        await context.CompleteAsync();
    }
}

/// <summary><c>Elsa.RunTask</c>: requests external work and waits until <c>/tasks/{taskId}/complete</c> supplies the result.</summary>
public sealed class RunTask : IResumableActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var taskName = await context.EvaluateStringAsync("taskName") ?? "";
        var payload = await context.EvaluateInputAsync("payload", "ObjectDictionary");
        var taskId = NewTaskId();
        context.SetOutput("taskId", taskId);
        context.Properties["taskId"] = taskId;
        var bookmark = context.CreateBookmark(StimulusNames.RunTask, new JsonObject { ["TaskId"] = taskId });
        bookmark.Metadata = new JsonObject { ["taskName"] = taskName };
        context.Execution.AddTaskRequest(new RunTaskRequest(taskId, taskName, Values.ToJson(payload), context.Execution.State.Id, context.Id));
    }

    /// <summary>The task's result arrives as the workflow input <c>RunTaskInput</c> (Elsa's key).</summary>
    public async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? input)
    {
        context.SetOutput("result", Values.FromJson(context.Execution.State.Input[ResultInputKey]));
        await context.CompleteAsync();
    }

    public const string ResultInputKey = "RunTaskInput";

    /// <summary>Elsa's task ids: a random 64-bit number in lower-case hex.</summary>
    public static string NewTaskId() => ((ulong)Random.Shared.NextInt64()).ToString("x", CultureInfo.InvariantCulture);
}

/// <summary><c>Elsa.RunJavaScript</c>: runs a script; its value is <c>result</c>, and <c>setOutcome</c> picks the ports.</summary>
public sealed class RunJavaScript : IActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var evaluator = context.Execution.Inputs.Find("JavaScript") ?? throw new InvalidOperationException("JavaScript is not available");
        var script = Values.AsText(await ScriptTextAsync(context)) ?? "";
        await context.EvaluateInputAsync("possibleOutcomes", "List<String>");
        var scope = context.ExpressionContext;
        var result = await evaluator.EvaluateAsync(script, scope, context.Execution.CancellationToken);
        context.SetOutput("result", result);
        await context.CompleteAsync(scope.Outcomes is { Count: > 0 } outcomes ? [.. outcomes] : ["Done"]);
    }

    // The script input holds the code itself whatever its syntax (Literal or JavaScript): it is run, not evaluated first.
    private static ValueTask<object?> ScriptTextAsync(ActivityExecutionContext context)
    {
        var input = JsonRead.AsObject(context.RawInput("script"));
        var expression = input?.GetObject("expression");
        var text = expression is null ? JsonRead.AsString(context.RawInput("script")) : JsonRead.AsString(expression.Get("value"));
        context.State.ActivityState ??= [];
        context.State.ActivityState["script"] = text;
        return ValueTask.FromResult<object?>(text);
    }
}

/// <summary><c>Elsa.Delay</c>: waits <c>timeSpan</c> (bookmark <c>{ResumeAt}</c>; the host's scheduler resumes it).</summary>
public sealed class Delay : IBlockingActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var delay = Values.ToTimeSpan(await context.EvaluateInputAsync("timeSpan", "TimeSpan", TimeSpan.FromMinutes(1)));
        context.CreateBookmark(StimulusNames.Delay, new JsonObject { ["ResumeAt"] = Iso(context.Now + delay) });
    }

    internal static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}

/// <summary><c>Elsa.Timer</c>: inside a flow waits <c>interval</c>; as a trigger starts an instance every interval.</summary>
public sealed class Timer : IBlockingActivity, ITriggerActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var interval = Values.ToTimeSpan(await context.EvaluateInputAsync("interval", "TimeSpan", TimeSpan.FromMinutes(1)));
        if (Triggers.StartedThisRun(context))
        {
            await context.CompleteAsync();
            return;
        }

        context.CreateBookmark(StimulusNames.Timer, new JsonObject { ["ResumeAt"] = Delay.Iso(context.Now + interval) });
    }

    public async ValueTask<IReadOnlyList<TriggerSpec>> GetTriggersAsync(ActivityNode node, TriggerIndexingContext context)
    {
        var interval = Values.ToTimeSpan(await context.EvaluateInputAsync(node, "interval", "TimeSpan") ?? TimeSpan.FromMinutes(1));
        return [new TriggerSpec(StimulusNames.Timer, new JsonObject { ["Interval"] = interval.ToString("c", CultureInfo.InvariantCulture) })];
    }
}

/// <summary><c>Elsa.StartAt</c>: completes at once if the time has passed, otherwise waits until it (bookmark <c>{ExecuteAt}</c>).</summary>
public sealed class StartAt : IBlockingActivity, ITriggerActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var at = Values.ToDateTimeOffset(await context.EvaluateInputAsync("dateTime", "DateTimeOffset"));
        if (Triggers.StartedThisRun(context) || at <= context.Now)
        {
            await context.CompleteAsync();
            return;
        }

        context.CreateBookmark(StimulusNames.StartAt, new JsonObject { ["ExecuteAt"] = Delay.Iso(at) });
    }

    public async ValueTask<IReadOnlyList<TriggerSpec>> GetTriggersAsync(ActivityNode node, TriggerIndexingContext context)
    {
        var at = Values.ToDateTimeOffset(await context.EvaluateInputAsync(node, "dateTime", "DateTimeOffset"));
        return [new TriggerSpec(StimulusNames.StartAt, new JsonObject { ["ExecuteAt"] = Delay.Iso(at) })];
    }
}

/// <summary><c>Elsa.Cron</c>: waits for the next occurrence (bookmark <c>{ExecuteAt, CronExpression}</c>); as a trigger starts an instance on each.</summary>
public sealed class Cron : IBlockingActivity, ITriggerActivity, IValidatingActivity
{
    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var expression = await context.EvaluateStringAsync("cronExpression") ?? "";
        if (Triggers.StartedThisRun(context))
        {
            await context.CompleteAsync();
            return;
        }

        var next = NextOccurrence(expression, context.Now) ?? throw new InvalidOperationException($"cron expression '{expression}' has no next occurrence");
        context.CreateBookmark(StimulusNames.Cron, new JsonObject { ["ExecuteAt"] = Delay.Iso(next), ["CronExpression"] = expression });
    }

    public async ValueTask<IReadOnlyList<TriggerSpec>> GetTriggersAsync(ActivityNode node, TriggerIndexingContext context)
    {
        var expression = Values.AsText(await context.EvaluateInputAsync(node, "cronExpression", "String")) ?? "";
        return [new TriggerSpec(StimulusNames.Cron, new JsonObject { ["CronExpression"] = expression })];
    }

    public IEnumerable<string> Validate(ActivityNode node)
    {
        var input = JsonRead.AsObject(node.Input("cronExpression"));
        var expression = input?.GetObject("expression");
        if (expression?.GetString("type") is "Literal" or null && JsonRead.AsString(expression?.Get("value")) is { Length: > 0 } text && !TryParse(text, out _))
        {
            yield return $"cron expression '{text}' is not valid";
        }
    }

    /// <summary>Accepts 5-field and 6-field (with seconds) expressions, like Elsa's Cronos-based scheduler.</summary>
    public static DateTimeOffset? NextOccurrence(string expression, DateTimeOffset from) =>
        TryParse(expression, out var cron) ? cron.GetNextOccurrence(from, TimeZoneInfo.Utc) : throw new ExpressionException($"cron expression '{expression}' is not valid");

    private static bool TryParse(string expression, out CronExpression cron)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.TryParse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out cron!);
    }
}
