using Microsoft.Extensions.FileProviders;

namespace SafetyWorkflows.Web.Board;

/// <summary>
/// Apache ECharts (npm <c>echarts</c>, pinned in package.json and package-lock.json and restored by the build with the
/// Studio bundle) served from <c>node_modules/echarts/dist</c> under <c>/lib/echarts</c>: the board's charts, no CDN.
/// </summary>
public static class ChartFiles
{
    public const string RequestPath = "/lib/echarts";
    public const string Directory = "node_modules/echarts/dist";

    public static WebApplication UseChartFiles(this WebApplication app)
    {
        var directory = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, Directory));
        if (!System.IO.Directory.Exists(directory))
        {
            // Built with SkipStudioRestore=true: the board still lists its orders, without charts.
            app.Logger.LogWarning("ECharts is not restored ({Directory}): the board shows no charts", directory);
            return app;
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = RequestPath,
            FileProvider = new PhysicalFileProvider(directory),
            OnPrepareResponse = static context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
