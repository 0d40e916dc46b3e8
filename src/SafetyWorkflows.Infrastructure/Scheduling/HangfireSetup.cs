using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Storage;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Infrastructure.Scheduling;

public static class HangfireSetup
{
    /// <summary>
    /// Hangfire on its own storage (SQLite file <c>{data}/hangfire.db</c>, or PostgreSQL with <c>Database:Provider=PostgreSql</c>),
    /// one storage and one server per host (no static <c>JobStorage.Current</c>), jobs created through the injected
    /// <see cref="IBackgroundJobClient"/> and <see cref="IRecurringJobManager"/>.
    /// </summary>
    public static IServiceCollection AddHangfireScheduling(this IServiceCollection services)
    {
        services.AddOptions<HangfireOptions>().BindConfiguration(HangfireOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new HangfireStorageLock(StorageFile(sp), sp.GetRequiredService<IOptions<HangfireOptions>>().Value.LockWait));
        services.AddSingleton<JobStorage>(CreateStorage);
        services.AddHangfire((provider, config) => config
            .UseLogProvider(new DisposalSafeLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddSingleton<HangfireWorkflowScheduler>();
        services.AddSingleton<IWorkflowScheduler>(sp => sp.GetRequiredService<HangfireWorkflowScheduler>());
        services.AddScoped<WorkflowTimerJobs>();
        services.AddSingleton<OutboxPump>();
        services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ClockJobs>();
        services.AddScoped<HazardStatisticsSheets>();
        services.AddScoped<Core.Calendar.IClockBoard, EfClockBoard>();
        services.AddHostedService<HangfireServerHost>();
        return services;
    }

    private static string StorageFile(IServiceProvider services) =>
        services.GetRequiredService<IOptions<HangfireOptions>>().Value
            .ResolveStorageFile(services.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory());

    private static JobStorage CreateStorage(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<HangfireOptions>>().Value;
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            var pg = new PostgreSqlStorageOptions { QueuePollInterval = options.QueuePollInterval, PrepareSchemaIfNecessary = true, SchemaName = "hangfire" };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString!, pg), pg);
        }

        // The lock first: a second process fails here, before it touches the file.
        _ = services.GetRequiredService<HangfireStorageLock>();
        return new SQLiteStorage(StorageFile(services), new SQLiteStorageOptions { QueuePollInterval = options.QueuePollInterval });
    }
}

/// <summary>Runs the Hangfire server for this host when <c>Hangfire:ServerEnabled</c> (the default) and stops it gracefully.</summary>
internal sealed class HangfireServerHost(IServiceProvider services, IOptions<HangfireOptions> options, ILogger<HangfireServerHost> logger) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredService<JobStorage>();
        if (!options.Value.ServerEnabled)
        {
            logger.LogInformation("Hangfire server disabled (Hangfire:ServerEnabled=false): jobs are stored but run elsewhere");
            return Task.CompletedTask;
        }

        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                SchedulePollingInterval = options.Value.SchedulePollingInterval,
                WorkerCount = options.Value.WorkerCount,
                ServerName = $"safety-{Environment.MachineName}-{Environment.ProcessId}",
                TimeZoneResolver = services.GetService<ITimeZoneResolver>() ?? new DefaultTimeZoneResolver(),
                Activator = new HostJobActivator(services.GetRequiredService<IServiceScopeFactory>()),
                FilterProvider = services.GetService<IJobFilterProvider>(),
            },
            storage,
            [services.GetRequiredService<OutboxPump>()]);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        _server.SendStop();
        await _server.WaitForShutdownAsync(cancellationToken);
    }

    public void Dispose() => _server?.Dispose();
}

/// <summary>
/// Hangfire's logging is process-wide (a static provider), but each host has its own logger factory. Where several hosts
/// share a process (the tests; a host restarted in place), the factory of a host that was disposed must not break job
/// creation in the others: a disposed factory logs nothing instead of throwing.
/// </summary>
internal sealed class DisposalSafeLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.Logging.ILogProvider _inner = new Hangfire.AspNetCore.AspNetCoreLogProvider(factory);

    public Hangfire.Logging.ILog GetLogger(string name) => new SafeLog(_inner, name);

    private sealed class SafeLog(Hangfire.Logging.ILogProvider inner, string name) : Hangfire.Logging.ILog
    {
        private Hangfire.Logging.ILog? _log;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _log ??= inner.GetLogger(name);
                return _log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
