using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core;

public static class DependencyInjection
{
    /// <summary>Registers the use cases. Their ports (stores, file store, clock) come from Infrastructure.</summary>
    public static IHostApplicationBuilder AddCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<MetadataValidator>();
        services.AddScoped<IncomingFiles>();
        services.AddScoped<DocumentLoader>();
        services.AddScoped<UploadDocument>();
        services.AddScoped<ChangeDocument>();
        services.AddScoped<QueryDocuments>();
        return builder;
    }
}
