using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Workflows/s on PostgreSQL against SQLite: the same one-bookmark workflow (Start → Event "Go" → End) started (it
/// suspends) and resumed (it finishes) through the real app's <see cref="WorkflowHost"/>, one at a time and from
/// <c>parallel</c> concurrent callers. PostgreSQL is the server named by <c>SAFETY_TEST_POSTGRES</c> (as in the tests);
/// the bench creates a database of its own and drops it.
/// </summary>
internal static class PostgresBench
{
    private const string DefinitionId = "bench-pg-event";

    public static async Task<int> RunAsync(int cycles, int parallel)
    {
        var server = Environment.GetEnvironmentVariable("SAFETY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            await Console.Error.WriteLineAsync("postgres: set SAFETY_TEST_POSTGRES (bash .ci/postgres prints one) to a role that may create databases");
            return 2;
        }

        Console.WriteLine($"one-bookmark workflow (start → suspend, resume → finish) through WorkflowHost, {cycles} per run, {parallel} callers in the parallel run:");
        var sqlite = await MeasureAsync("SQLite", null, cycles, parallel);
        var name = "sw_bench_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        try
        {
            var database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            var postgres = await MeasureAsync("PostgreSQL", database, cycles, parallel);
            Console.WriteLine($"  ratio PostgreSQL / SQLite, one at a time   {Ratio(postgres.Sequential, sqlite.Sequential)}");
            Console.WriteLine($"  ratio PostgreSQL / SQLite, {parallel} in parallel   {Ratio(postgres.Parallel, sqlite.Parallel)}");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }

        return 0;
    }

    private static async Task<(double Sequential, double Parallel)> MeasureAsync(string label, string? postgres, int cycles, int parallel)
    {
        var settings = new Dictionary<string, string> { ["Hangfire:ServerEnabled"] = "false" };
        if (postgres is not null)
        {
            settings["Database:Provider"] = "PostgreSql";
            settings["Database:ConnectionString"] = postgres;
        }

        using var host = new BenchHost(settings: settings);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>()
                .PublishAsync(DefinitionId, DefinitionReader.Parse(EventJson, DefinitionId), CancellationToken.None);
        }

        for (var i = 0; i < Math.Max(20, cycles / 10); i++)
        {
            await CycleAsync(host);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < cycles; i++)
        {
            await CycleAsync(host);
        }

        var sequential = cycles / watch.Elapsed.TotalSeconds;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async caller =>
        {
            for (var i = caller; i < cycles; i += parallel)
            {
                await CycleAsync(host);
            }
        }));
        var concurrent = cycles / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {label,-12} {Rate(sequential)} workflows/s one at a time, {Rate(concurrent)} workflows/s in parallel");
        return (sequential, concurrent);
    }

    private static async Task CycleAsync(BenchHost host)
    {
        string bookmarkId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var started = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().StartAsync(DefinitionId, new StartWorkflowRequest(), null, CancellationToken.None);
            bookmarkId = started.State.Bookmarks.Count == 1 && started.State.SubStatus == WorkflowSubStatus.Suspended
                ? started.State.Bookmarks[0].Id
                : throw new InvalidOperationException($"the workflow did not suspend on one bookmark: {started.State.SubStatus}");
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var resumed = await scope.ServiceProvider.GetRequiredService<WorkflowHost>().ResumeAsync(bookmarkId, null, CancellationToken.None);
            if (resumed.State.SubStatus != WorkflowSubStatus.Finished)
            {
                throw new InvalidOperationException($"the workflow did not finish after its resume: {resumed.State.SubStatus}");
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Rate(double value) => value.ToString("#,##0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double numerator, double denominator) => (numerator / denominator).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private const string EventJson = """
        {
          "id": "b3c1a0e5d2f40009", "definitionId": "bench-pg-event", "name": "Bench PostgreSQL event resume", "version": 1,
          "root": {
            "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "go", "type": "Elsa.Event", "version": 1,
                "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "Go" } },
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "go", "port": "In" } },
              { "source": { "activity": "go", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;
}
