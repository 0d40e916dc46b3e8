namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>One app per test class: starting the host (migrate + seed) is the slow part.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public AppFactory App { get; } = new();

    public Task InitializeAsync()
    {
        _ = App.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
