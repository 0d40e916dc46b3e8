using System.Diagnostics;
using Npgsql;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// A fresh PostgreSQL database for one test, created with a random name on the lane's server and dropped afterwards.
/// The server is named by <c>SAFETY_TEST_POSTGRES</c> (a role allowed to create databases; <c>.ci/run</c> sets it from
/// <c>.ci/postgres</c>). Without it a developer's run starts the server with that same script; under <c>CI=true</c> a
/// missing variable fails the test loudly — this lane is never skipped.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "SAFETY_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(FindServer, LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of this test's own database.</summary>
    public string ConnectionString { get; }

    /// <summary>Settings that put an app host on this database (EF Core and Hangfire).</summary>
    public Dictionary<string, string> Settings(IReadOnlyDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = ConnectionString,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var name = "sw_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(Server.Value))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString;
        return new PostgresDatabase(name, connectionString);
    }

    /// <summary>Runs SQL straight against this database, behind the application's back.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server.Value);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // An autovacuum worker (a superuser's process) is on the fresh database: FORCE may not end it, so wait for it.
                await Task.Delay(250);
            }
        }
    }

    private static string FindServer()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set under CI=true: .ci/run must start PostgreSQL (.ci/postgres) and export it. The PostgreSQL tests are never skipped.");
        }

        var script = FindScript();
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length == 0)
        {
            throw new InvalidOperationException(
                $"{Variable} is not set and {script} could not start PostgreSQL (exit {process.ExitCode}): {errors.Result}");
        }

        return output.Split('\n')[^1].Trim();
    }

    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, ".ci", "postgres");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException($"{Variable} is not set and no .ci/postgres was found above {AppContext.BaseDirectory} to start PostgreSQL.");
    }
}
