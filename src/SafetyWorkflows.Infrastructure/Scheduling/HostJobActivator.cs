using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyWorkflows.Infrastructure.Scheduling;

/// <summary>
/// Creates each job in a DI scope of this host. Hangfire.AspNetCore's own activator goes through the static
/// <c>JobActivator.Current</c>, which the last host to configure Hangfire overwrites: with several hosts in one process
/// (the tests, or an app and its tools) a server would build its jobs from another host's — possibly disposed — container.
/// </summary>
internal sealed class HostJobActivator(IServiceScopeFactory scopes) : JobActivator
{
    public override object ActivateJob(Type jobType) =>
        throw new InvalidOperationException("jobs are created in a scope: use BeginScope");

    public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateAsyncScope());

    private sealed class Scope(AsyncServiceScope scope) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

        public override void DisposeScope() => scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
