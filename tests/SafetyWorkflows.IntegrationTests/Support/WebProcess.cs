using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// The real app as an operating-system process of its own (<c>dotnet SafetyWorkflows.Web.dll</c>, the build beside the
/// tests), on a data directory of the test's choosing, so that a test can kill it the hard way and start it again on
/// the same files. Everything else is the production default: SQLite files, Hangfire's server, the local outbox.
/// </summary>
public sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WebProcess(string dataDirectory, int port, IReadOnlyDictionary<string, string>? settings)
    {
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "SafetyWorkflows.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Seed__AdminPassword"] = AppFactory.AdminPassword;
        start.Environment["Seed__DemoPassword"] = AppFactory.DemoPassword;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "safety.db");

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>
    /// Starts the app on <paramref name="dataDirectory"/> at a free port, with <paramref name="settings"/> as environment
    /// variables (<c>Section__Key</c>), and waits until <c>/healthz</c> answers.
    /// </summary>
    public static async Task<WebProcess> StartAsync(string dataDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? settings = null)
    {
        var web = new WebProcess(dataDirectory, FreePort(), settings);
        web._process.Start();
        web._process.BeginOutputReadLine();
        web._process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (web._process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {web._process.ExitCode} while starting:\n{web.Output}");
            }

            try
            {
                if ((await probe.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return web;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (waited.Elapsed > timeout)
            {
                await web.DisposeAsync();
                throw new TimeoutException($"the app did not answer /healthz within {timeout}:\n{web.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>kill -9: SIGKILL, no shutdown hooks, no flushing, no disposing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>A client holding a bearer token for a seeded official.</summary>
    public async Task<HttpClient> ClientForAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var password = AppFactory.PasswordOf(userName);
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>Reads the app's SQLite file behind its back (WAL lets a reader in while it runs).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
