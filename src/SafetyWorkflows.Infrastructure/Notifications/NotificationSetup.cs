using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Notifications;

namespace SafetyWorkflows.Infrastructure.Notifications;

public static class NotificationSetup
{
    /// <summary>
    /// The outbox's delivery side: deliveries planned in the business transaction (a save interceptor), Hangfire jobs that
    /// send them, Graph mail and Teams when <c>Graph:TenantId</c> and <c>Graph:ClientId</c> are set, the local outbox otherwise.
    /// </summary>
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NotificationTemplates>();
        services.AddSingleton<GraphClientProvider>();
        services.AddSingleton<INotificationChannel, LocalOutboxChannel>();
        services.AddSingleton<INotificationChannel, GraphMailChannel>();
        services.AddSingleton<INotificationChannel, GraphTeamsChannel>();
        services.AddSingleton<NotificationDeliveryInterceptor>();
        services.AddScoped<NotificationDispatcher>();
        services.AddScoped<NotificationDigest>();
        services.AddScoped<NotificationQueries>();
        services.AddHostedService<NotificationStartup>();
        return services;
    }
}

/// <summary>At start: every template must parse (a broken file stops the app, naming it), and the recurring jobs are registered.</summary>
internal sealed class NotificationStartup(NotificationTemplates templates, IRecurringJobManager recurring, IOptions<NotificationOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (templates.Validate() is { Count: > 0 } errors)
        {
            throw new InvalidOperationException("Notification templates: " + string.Join("; ", errors));
        }

        recurring.AddOrUpdate<NotificationDispatcher>(NotificationDispatcher.SweepJobId, d => d.SweepAsync(CancellationToken.None), Cron.Minutely());
        var at = options.Value.DigestTime;
        recurring.AddOrUpdate<NotificationDigest>(NotificationDigest.JobId, d => d.SendAllAsync(CancellationToken.None), Cron.Daily(at.Hour, at.Minute),
            new RecurringJobOptions { TimeZone = Core.Calendar.WorkingCalendar.China });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
