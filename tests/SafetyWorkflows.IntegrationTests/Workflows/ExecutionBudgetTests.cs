using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Workflows.Execution;

namespace SafetyWorkflows.IntegrationTests.Workflows;

/// <summary>The execution budget of one run, on the runtime in memory: each limit stops a runaway with an incident naming
/// it, and a retry carries on exactly where the budget stopped the run.</summary>
public sealed class ExecutionBudgetTests
{
    /// <summary>start → inc (N = N + 1) → check (N &lt; 30): True → inc, False → end.</summary>
    private const string CountToThirty = """
        {
          "id": "count-v1", "definitionId": "count", "name": "count", "version": 1,
          "variables": [ { "id": "n", "name": "N", "typeName": "Int32", "value": "0", "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
          "root": {
            "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "inc", "type": "Elsa.SetVariable", "version": 1,
                "variable": { "id": "n", "name": "N", "typeName": "Int32", "isArray": false },
                "value": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getN() + 1" } } },
              { "id": "check", "type": "Elsa.FlowDecision", "version": 1,
                "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getN() < 30" } } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "inc", "port": "In" } },
              { "source": { "activity": "inc", "port": "Done" }, "target": { "activity": "check", "port": "In" } },
              { "source": { "activity": "check", "port": "True" }, "target": { "activity": "inc", "port": "In" } },
              { "source": { "activity": "check", "port": "False" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    /// <summary>start → a → b → a, for ever.</summary>
    private const string Forever = """
        {
          "id": "forever-v1", "definitionId": "forever", "name": "forever", "version": 1,
          "root": {
            "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "a", "type": "Elsa.Correlate", "version": 1, "correlationId": { "typeName": "String", "expression": { "type": "Literal", "value": "a" } } },
              { "id": "b", "type": "Elsa.Correlate", "version": 1, "correlationId": { "typeName": "String", "expression": { "type": "Literal", "value": "b" } } }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "a", "port": "In" } },
              { "source": { "activity": "a", "port": "Done" }, "target": { "activity": "b", "port": "In" } },
              { "source": { "activity": "b", "port": "Done" }, "target": { "activity": "a", "port": "In" } }
            ]
          }
        }
        """;

    [Fact]
    public async Task Retry_AfterABudgetStop_CarriesOnWhereTheRunStopped_UntilTheLoopEnds()
    {
        using var harness = new RuntimeHarness(configure: s => s.Configure<WorkflowBudgetOptions>(o => o.MaxActivitiesPerBurst = 20));
        var workflow = harness.Load(CountToThirty);

        var state = await harness.StartAsync(workflow);
        var stops = 0;
        while (state.SubStatus == WorkflowSubStatus.Faulted && stops < 10)
        {
            Assert.Contains("MaxActivitiesPerBurst", Assert.Single(state.Incidents).Message, StringComparison.Ordinal);
            Assert.NotEmpty(state.ScheduledActivities);
            stops++;
            state = await harness.RetryAsync(workflow, state);
        }

        Assert.Equal(WorkflowSubStatus.Finished, state.SubStatus);
        Assert.InRange(stops, 2, 5);
        Assert.Empty(state.Incidents);
        Assert.Empty(state.ScheduledActivities);
        Assert.Equal(30, RuntimeHarness.Variables(workflow, state)["N"]!.GetValue<int>());
    }

    [Fact]
    public async Task MemoryGrowth_OverTheBudget_FaultsTheRun_NamingTheLimit()
    {
        var memory = new GrowingMemory();
        using var harness = new RuntimeHarness(configure: s =>
        {
            s.Configure<WorkflowBudgetOptions>(o => o.MaxMemoryGrowthMb = 50);
            s.AddSingleton<IWorkflowMemoryProbe>(memory);
        });

        var state = await harness.StartAsync(harness.Load(Forever));

        Assert.Equal(WorkflowSubStatus.Faulted, state.SubStatus);
        Assert.Contains("MaxMemoryGrowthMb", Assert.Single(state.Incidents).Message, StringComparison.Ordinal);
        Assert.Equal(typeof(BudgetExceededException).FullName, state.Incidents[0].Exception!.Type);
    }

    [Fact]
    public async Task WallTime_OverTheBudget_FaultsTheRun_NamingTheLimit()
    {
        using var harness = new RuntimeHarness(configure: s => s.Configure<WorkflowBudgetOptions>(o =>
        {
            o.MaxBurstDuration = TimeSpan.FromMilliseconds(1);
            o.MaxActivitiesPerBurst = 10_000_000;
        }));

        var state = await harness.StartAsync(harness.Load(Forever));

        Assert.Equal(WorkflowSubStatus.Faulted, state.SubStatus);
        Assert.Contains("MaxBurstDuration", Assert.Single(state.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABoundedLoop_WithinTheBudget_IsNotStopped()
    {
        using var harness = new RuntimeHarness(configure: s => s.Configure<WorkflowBudgetOptions>(o => o.MaxActivitiesPerBurst = 100));

        var state = await harness.StartAsync(harness.Load(CountToThirty));

        Assert.Equal(WorkflowSubStatus.Finished, state.SubStatus);
        Assert.Empty(state.Incidents);
    }

    /// <summary>A heap that grows by 10 MB each time it is read.</summary>
    private sealed class GrowingMemory : IWorkflowMemoryProbe
    {
        private long _bytes;

        public long CurrentBytes() => _bytes += 10L * 1024 * 1024;
    }
}
