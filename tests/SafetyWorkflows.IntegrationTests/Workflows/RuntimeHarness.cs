using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetyWorkflows.Workflows;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>The real runtime in memory, with a fake clock and captured standard output. Between runs the state is
/// written to JSON and read back, as the host persists it, so every test also exercises the state's round trip.</summary>
public sealed class RuntimeHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public RuntimeHarness(DateTimeOffset? start = null, Action<IServiceCollection>? configure = null)
    {
        Clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IStandardOutput>(Output);
        services.AddWorkflowRuntime();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; }

    public CapturedOutput Output { get; } = new();

    public List<JournalRecord> Journal { get; } = [];

    public DefinitionLoader Loader => _services.GetRequiredService<DefinitionLoader>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public Workflow Load(string json, string source = "test") => Loader.Load(DefinitionReader.Parse(json, source), source);

    public async Task<WorkflowState> StartAsync(Workflow workflow, StartWorkflowRequest? request = null)
    {
        using var scope = _services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().StartAsync(workflow, request ?? new StartWorkflowRequest(), CancellationToken.None);
        return await DeliverEventsAsync(workflow, result);
    }

    public async Task<WorkflowState> ResumeAsync(Workflow workflow, WorkflowState state, Bookmark bookmark, JsonObject? input = null)
    {
        using var scope = _services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().ResumeAsync(workflow, state, bookmark.Id, input, CancellationToken.None);
        return await DeliverEventsAsync(workflow, result);
    }

    /// <summary>As the host does after a commit: events published by the run resume this instance's matching Event bookmarks.</summary>
    private async Task<WorkflowState> DeliverEventsAsync(Workflow workflow, RunResult result)
    {
        var state = Persisted(result);
        foreach (var published in result.PublishedEvents)
        {
            foreach (var bookmark in state.Bookmarks.Where(b => b.Name == StimulusNames.Event && b.Payload?["EventName"]?.GetValue<string>() == published.EventName).ToList())
            {
                if (state.Bookmarks.Any(b => b.Id == bookmark.Id))
                {
                    state = await ResumeAsync(workflow, state, bookmark, new JsonObject { [Event.PayloadInputKey] = published.Payload?.DeepClone() ?? new JsonObject() });
                }
            }
        }

        return state;
    }

    public async Task<WorkflowState> CancelAsync(Workflow workflow, WorkflowState state)
    {
        using var scope = _services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().CancelAsync(workflow, state, CancellationToken.None);
        return Persisted(result);
    }

    /// <summary>Retries a faulted instance (all its incidents), as the host does.</summary>
    public async Task<WorkflowState> RetryAsync(Workflow workflow, WorkflowState state)
    {
        using var scope = _services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().RetryAsync(workflow, state, null, CancellationToken.None);
        return Persisted(result);
    }

    /// <summary>Resumes every timer bookmark that is due at the fake clock's time, one after another.</summary>
    public async Task<WorkflowState> FireDueTimersAsync(Workflow workflow, WorkflowState state)
    {
        while (state.Bookmarks.FirstOrDefault(b => StimulusNames.IsTimer(b.Name) && SafetyWorkflows.Workflows.Hosting.WorkflowHost.BookmarkTime(b) <= Clock.GetUtcNow()) is { } due)
        {
            state = await ResumeAsync(workflow, state, due);
        }

        return state;
    }

    /// <summary>Workflow-level variables by name, as they would be read back from storage.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Variables(Workflow workflow, WorkflowState state)
    {
        var root = state.ActivityExecutionContexts.FirstOrDefault(c => c.ParentContextId is null);
        var stored = root?.Properties[VariableScope.PropertyKey] as JsonObject;
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var variable in workflow.Definition.Variables)
        {
            var persisted = VariableScope.IsPersisted(variable) && stored is not null && stored.TryGetPropertyValue(variable.Id, out var value) && value is not null
                ? value
                : Values.ToJson(Values.ConvertTo(variable.Value, variable.IsArray ? $"List<{variable.TypeName}>" : variable.TypeName));
            result[variable.Name] = persisted?.DeepClone();
        }

        return result;
    }

    private WorkflowState Persisted(RunResult result)
    {
        Journal.AddRange(result.Journal);
        return WorkflowJson.Deserialize(WorkflowJson.Serialize(result.State));
    }

    public void Dispose() => _services.Dispose();

    public sealed class CapturedOutput : IStandardOutput
    {
        public List<string> Lines { get; } = [];

        public void WriteLine(string? text) => Lines.Add(text ?? "");
    }
}
