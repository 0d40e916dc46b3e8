using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// The real app on a real SQLite file in a fresh data directory of its own. Nothing is swapped: the file store, the
/// audit chain and the seeds are the production ones.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Demo@2024!";
    public const string AdminPassword = "Admin@2024!";
    public const string SecurityAdminPassword = "Security@2024!";
    public const string AuditAdminPassword = "Audit@2024!";

    /// <summary>The seeded password of a login: the 三员 have their own, everyone else the demo one.</summary>
    public static string PasswordOf(string userName) => userName switch
    {
        "admin" => AdminPassword,
        "secadmin" => SecurityAdminPassword,
        "auditadmin" => AuditAdminPassword,
        _ => DemoPassword,
    };

    public AppFactory(
        string? dataDirectory = null,
        long maxUploadBytes = 256 * 1024,
        string? workflowsDirectory = null,
        Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        _services = services;
        _settings = settings ?? new Dictionary<string, string>();
        WorkflowsDirectory = workflowsDirectory;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        MaxUploadBytes = maxUploadBytes;
        Directory.CreateDirectory(DataDirectory);
    }

    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public string DataDirectory { get; }

    /// <summary>Overrides <c>Workflows:Directory</c> (the definition files imported at start) when set.</summary>
    public string? WorkflowsDirectory { get; }

    public long MaxUploadBytes { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "safety.db");

    public string FilesDirectory => Path.Combine(DataDirectory, "files");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Storage:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Seed:AdminPassword", AdminPassword);
        builder.UseSetting("Seed:DemoPassword", DemoPassword);

        // Jobs are stored in the real SQLite Hangfire file, but only tests about Hangfire run its server (it polls).
        builder.UseSetting("Hangfire:ServerEnabled", "false");
        if (WorkflowsDirectory is not null)
        {
            builder.UseSetting("Workflows:Directory", WorkflowsDirectory);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>An HTTP client holding a bearer token for a seeded official.</summary>
    public async Task<HttpClient> ClientForAsync(string userName)
    {
        var client = CreateClient();
        var password = PasswordOf(userName);
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenDto>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    /// <summary>Runs SQL straight against the file, behind the application's back.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Files in the content store (staging excluded).</summary>
    public int StoredFileCount() => Directory.Exists(FilesDirectory)
        ? Directory.EnumerateFiles(FilesDirectory, "*", SearchOption.AllDirectories).Count(f => !f.Contains(".staging", StringComparison.Ordinal))
        : 0;

    public int StagingFileCount()
    {
        var staging = Path.Combine(FilesDirectory, ".staging");
        return Directory.Exists(staging) ? Directory.EnumerateFiles(staging).Count() : 0;
    }

    private sealed record TokenDto(string AccessToken, DateTimeOffset ExpiresAt);
}
