using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.Workflows.Hosting;

/// <summary>
/// Hears of every run before it is committed, inside the same unit of work: the place where the host application writes
/// rows that belong with the run (inbox tasks for <c>Elsa.RunTask</c> requests, audit entries, outbox notifications).
/// </summary>
public interface IWorkflowRunObserver
{
    Task OnRunAsync(Workflow workflow, RunResult result, CancellationToken cancellationToken);
}
