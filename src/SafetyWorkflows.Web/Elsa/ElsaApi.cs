using Microsoft.AspNetCore.Http.Features;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>
/// The part of Elsa 3.8's REST API that Elsa Studio and Elsa clients use, under <c>/elsa/api</c>, for administrators
/// (bearer token or cookie). JSON is written as Elsa writes it: camelCase, enums as strings.
/// </summary>
public static class ElsaApi
{
    /// <summary>The largest request body the Elsa API reads (a definition, an import, an event input).</summary>
    public const long MaxRequestBytes = 4L * 1024 * 1024;

    public static IEndpointRouteBuilder MapElsaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ElsaJson.Prefix)
            .RequireAuthorization(AuthSetup.AdminPolicy)
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .AddEndpointFilter(LimitBodyAsync)
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                IReadOnlySet<string>? definitionIds = null;
                if (http.Request.Path.Value?.Contains("/workflow-definitions", StringComparison.OrdinalIgnoreCase) == true)
                {
                    // A workflow used as an activity is known while its definition exists (Elsa has a descriptor for it).
                    var store = http.RequestServices.GetRequiredService<SafetyWorkflows.Workflows.Persistence.IWorkflowDefinitionStore>();
                    definitionIds = (await store.ListSummariesAsync(SafetyWorkflows.Workflows.Persistence.VersionOptions.LatestOrPublished, http.RequestAborted))
                        .Select(d => d.DefinitionId).ToHashSet(StringComparer.Ordinal);
                }

                NotFoundActivities.Use(http.RequestServices.GetRequiredService<SafetyWorkflows.Workflows.Activities.ActivityRegistry>(), definitionIds);
                return await next(context);
            });
        ElsaDefinitionEndpoints.Map(api);
        ElsaRuntimeEndpoints.Map(api);
        ElsaDescriptorEndpoints.Map(api);
        ElsaStudioEndpoints.Map(api);
        return app;
    }

    /// <summary>Refuses oversized bodies with a 400 that says so, before anything is read or stored.</summary>
    private static async ValueTask<object?> LimitBodyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.ContentLength is > MaxRequestBytes)
        {
            throw new InputValidationException("body", $"the request is {http.Request.ContentLength} bytes; the Elsa API accepts at most {MaxRequestBytes} bytes");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBytes;
        }

        return await next(context);
    }
}
