using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace SafetyWorkflows.Web.Designer;

/// <summary>
/// The Elsa designer: the real Elsa Studio (npm <c>@elsa-workflows/elsa-studio-wasm</c>) served under <c>/designer</c>,
/// same origin as <c>/elsa/api</c>, so the administrator's cookie session carries every Studio call. The host pages
/// are Razor pages in <c>Pages/Designer</c>.
/// </summary>
public static class DesignerSetup
{
    public const string BasePath = "/designer";

    public static WebApplicationBuilder AddDesigner(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DesignerOptions>().BindConfiguration(DesignerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StudioFiles>();
        return builder;
    }

    /// <summary>
    /// Serves the bundle's static files under <c>/designer</c>. The bundle is public (it is on npm) and holds no data, so
    /// it is served without a session; every API call it makes is checked. A browser that accepts Brotli or gzip gets
    /// the package's precompressed copy (about a third of the 30 MB of WebAssembly).
    /// </summary>
    public static WebApplication UseDesignerStudio(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<StudioFiles>();
        app.Use((context, next) =>
        {
            PickPrecompressed(context, files);
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = BasePath,
            FileProvider = files,
            ContentTypeProvider = StudioFiles.ContentTypes,
            OnPrepareResponse = static context =>
            {
                // Most names are fingerprinted, some are not (blazor.webassembly.js, _content/*): revalidate with the ETag.
                context.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    public static WebApplication MapDesignerEndpoints(this WebApplication app)
    {
        // The runtime fetches appsettings.json (and the environment's copy) at boot, before any element exists. The Studio
        // takes its API address from each element's remote-endpoint attribute; Backend:Url is only informative here.
        app.MapGet($"{BasePath}/appsettings.json", StudioSettings).AllowAnonymous().ExcludeFromDescription();
        app.MapGet($"{BasePath}/appsettings.{{environment}}.json", (string environment) => Results.Json(new JsonObject())).AllowAnonymous().ExcludeFromDescription();

        // Routing runs before the static files, and /designer/{definitionId} would take this one-segment name, so it gets a route of its own.
        app.MapGet($"{BasePath}{StudioFiles.StylesBundle}", StylesBundle).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult StudioSettings(HttpRequest request) => Results.Json(new JsonObject
    {
        ["Backend"] = new JsonObject { ["Url"] = $"{request.Scheme}://{request.Host}{Elsa.ElsaJson.Prefix}" },
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        ["Localization"] = new JsonObject { ["SupportedCultures"] = new JsonArray("zh-CN", "en-US"), ["DefaultCulture"] = "zh-CN" },
    });

    private static IResult StylesBundle(StudioFiles files, HttpResponse response)
    {
        var file = files.GetFileInfo(StudioFiles.StylesBundle);
        if (!file.Exists || file.PhysicalPath is null)
        {
            return Results.NotFound();
        }

        response.Headers.CacheControl = "no-cache";
        return Results.File(file.PhysicalPath, "text/css", lastModified: file.LastModified);
    }

    private static void PickPrecompressed(HttpContext context, StudioFiles files)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.StartsWithSegments(BasePath, out var rest) || !rest.HasValue)
        {
            return;
        }

        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        foreach (var (encoding, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) && files.GetFileInfo(rest.Value + suffix).Exists)
            {
                context.Request.Path = new PathString(context.Request.Path.Value + suffix);
                context.Response.Headers.ContentEncoding = encoding;
                context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
                return;
            }
        }
    }
}
