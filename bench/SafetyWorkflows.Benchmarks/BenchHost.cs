using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SafetyWorkflows.Benchmarks;

/// <summary>The real app (Release build, real SQLite file, real file store) in a temporary data directory.</summary>
/// <param name="configureServices">Service overrides applied after the app's own registrations (e.g. a silent WriteLine output).</param>
/// <param name="settings">Extra configuration (e.g. <c>Database:Provider</c>), applied last.</param>
internal sealed class BenchHost(Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "sw-bench", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DataDirectory, "safety.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseContentRoot(FindWebProject());
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Seed:DemoPassword", "Demo@2024!");
        builder.UseSetting("Seed:AdminPassword", "Admin@2024!");
        builder.UseSetting("Logging:LogLevel:Default", "Warning"); // appsettings.json's Information would win over the minimum level
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        // A request runs in its caller's execution context, so the hot-path probe can tell a measured call's work from
        // the background's (the outbox pump, delivery jobs) over HTTP as in-process.
        builder.ConfigureServices(services => services.Configure<Microsoft.AspNetCore.TestHost.TestServerOptions>(o => o.PreserveExecutionContext = true));
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    public async Task<HttpClient> ClientForAsync(string userName)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password = userName == "admin" ? "Admin@2024!" : "Demo@2024!" });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenDto>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    private static string FindWebProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "SafetyWorkflows.Web");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return AppContext.BaseDirectory;
    }

    private sealed record TokenDto(string AccessToken);
}
