using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyWorkflows.Workflows.Activities;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.Workflows;

/// <summary>Registers the Elsa-compatible runtime: activities, expression evaluators, loader and runner.</summary>
public static class DependencyInjection
{
    private static readonly (string Type, Func<IServiceProvider, IActivity> Create)[] CoreActivities =
    [
        (Flowchart.TypeName, sp => new Flowchart(sp.GetRequiredService<IFlowScheduler>())),
        ("Elsa.Start", _ => new Start()),
        ("Elsa.End", _ => new End()),
        ("Elsa.Finish", _ => new Finish()),
        ("Elsa.Complete", _ => new Complete()),
        (Sequence.TypeName, _ => new Sequence()),
        ("Elsa.Parallel", _ => new Activities.Parallel()),
        ("Elsa.Fork", _ => new Fork()),
        ("Elsa.For", _ => new For()),
        ("Elsa.ParallelForEach", _ => new ParallelForEach()),
        ("Elsa.Switch", _ => new Switch()),
        (ExecuteWorkflow.TypeName, _ => new ExecuteWorkflow()),
        (Definitions.DefinitionLoader.NotFoundActivityType, _ => new NotFoundActivity()),
        (DispatchWorkflow.TypeName, _ => new DispatchWorkflow()),
        ("Elsa.WriteLine", sp => new WriteLine(sp.GetRequiredService<IStandardOutput>())),
        ("Elsa.SetVariable", _ => new SetVariable()),
        ("Elsa.SetName", _ => new SetName()),
        ("Elsa.Correlate", _ => new Correlate()),
        ("Elsa.SetOutput", _ => new SetOutput()),
        ("Elsa.Fault", _ => new Fault()),
        ("Elsa.FlowDecision", _ => new FlowDecision()),
        ("Elsa.FlowSwitch", _ => new FlowSwitch()),
        ("Elsa.FlowFork", _ => new FlowFork()),
        (FlowJoin.TypeName, _ => new FlowJoin()),
        ("Elsa.FlowNode", _ => new FlowNode()),
        ("Elsa.If", _ => new If()),
        ("Elsa.While", _ => new While()),
        ("Elsa.ForEach", _ => new ForEach()),
        ("Elsa.Break", _ => new Break()),
        ("Elsa.Event", _ => new Event()),
        ("Elsa.PublishEvent", _ => new PublishEvent()),
        ("Elsa.RunTask", _ => new RunTask()),
        ("Elsa.RunJavaScript", _ => new RunJavaScript()),
        ("Elsa.Delay", _ => new Delay()),
        ("Elsa.Timer", _ => new Activities.Timer()),
        ("Elsa.StartAt", _ => new StartAt()),
        ("Elsa.Cron", _ => new Cron()),
    ];

    public static IServiceCollection AddWorkflowRuntime(this IServiceCollection services)
    {
        services.AddOptions<JavaScriptOptions>();
        services.AddOptions<WorkflowBudgetOptions>();
        services.TryAddSingleton<IWorkflowMemoryProbe, GcMemoryProbe>();
        services.TryAddSingleton<RunningWorkflows>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStandardOutput, ConsoleStandardOutput>();
        services.TryAddSingleton<IFlowScheduler, CounterFlowScheduler>();
        services.AddSingleton<IExpressionEvaluator, JavaScriptEvaluator>();
        services.AddSingleton<IExpressionEvaluator, LiquidEvaluator>();
        services.AddSingleton<InputEvaluator>();
        services.AddSingleton<WorkflowRuntimeServices>();
        var descriptors = ElsaDescriptors.Activities();
        foreach (var (type, create) in CoreActivities)
        {
            services.AddSingleton(sp => new ActivityRegistration(type, 1, create(sp), descriptors.GetValueOrDefault(type)));
        }

        services.AddSingleton(sp => new ActivityRegistration(WorkflowRoot.TypeName, 1, new WorkflowRoot(), null));
        services.AddSingleton<ActivityRegistry>();
        services.AddSingleton<DefinitionLoader>();
        services.AddScoped<WorkflowRunner>();
        services.AddSingleton<Hosting.WorkflowCache>();
        services.AddScoped<Hosting.WorkflowHost>();
        services.AddScoped<Hosting.WorkflowDefinitionService>();
        return services;
    }
}

/// <summary>The Elsa 3.8 descriptor data embedded in this assembly (see Activities/Descriptors/README.md).</summary>
public static class ElsaDescriptors
{
    /// <summary>Activity descriptors by type name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Activities() =>
        Load("elsa-activities.json").AsArray().OfType<JsonObject>().ToDictionary(d => d["typeName"]!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>The other descriptor lists (expression descriptors, variable types, storage drivers…), by name.</summary>
    public static JsonObject Lists() => Load("elsa-lists.json").AsObject();

    private static JsonNode Load(string name)
    {
        using var stream = typeof(ElsaDescriptors).Assembly.GetManifestResourceStream($"SafetyWorkflows.Workflows.Activities.Descriptors.{name}")
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        return JsonNode.Parse(stream)!;
    }
}
