using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Core.Notifications;

/// <summary>
/// <c>SafetyWorkflows.Notify</c>: writes a message for people or roles to the outbox, in the run's transaction. The
/// subject and body are ordinary inputs, so a Liquid expression (<c>{{ Input.title }}</c>) renders them.
/// </summary>
public sealed class Notify : IActivity
{
    public const string TypeName = "SafetyWorkflows.Notify";

    public async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var entries = Values.Items(await context.EvaluateInputAsync("recipients", "List<String>")).Select(Values.AsText).OfType<string>();
        var subject = await context.EvaluateStringAsync("subject") ?? "";
        var body = await context.EvaluateStringAsync("body") ?? "";
        var recipients = await context.GetRequiredService<IAssigneeResolver>().ResolveAsync(entries, context.Execution.CancellationToken);
        var documentId = Guid.TryParse(Values.AsText(Values.FromJson(context.Execution.State.Input[RequestApproval.DocumentIdInput])), out var id) ? id : (Guid?)null;
        var outbox = context.GetRequiredService<INotificationOutbox>();
        foreach (var recipient in recipients)
        {
            outbox.Add(new Notification(recipient, NotificationKind.Message, subject, body, documentId, null, context.Now));
        }

        context.SetOutput("result", recipients.Count);
        await context.CompleteAsync();
    }
}
