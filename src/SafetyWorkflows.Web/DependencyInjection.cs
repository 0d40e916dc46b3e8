using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using SafetyWorkflows.Core.Storage;
using SafetyWorkflows.Web.Infrastructure;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web;

public static class DependencyInjection
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    /// <summary>The web surfaces: Razor Pages UI, problem+json errors, OpenAPI, JSON and upload limits, zh-CN/en.</summary>
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorPages(options => options.Conventions.AllowAnonymousToPage("/Login").AllowAnonymousToPage("/Verify/Index"))
            .AddMvcOptions(options => options.Filters.AddService<Organisation.PeopleNamesPageFilter>());
        services.AddScoped<Organisation.PeopleNames>();
        services.AddScoped<Organisation.PeopleNamesPageFilter>();
        services.AddHealthChecks();
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // after the default one: problem+json whatever Accept says
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddSingleton<UiText>();
        services.AddSingleton<Board.HazardBoardCache>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        // The request may carry the file plus a little form overhead; our own check names the exact limit.
        var maxUpload = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.MaxUploadBytes ?? new StorageOptions().MaxUploadBytes;
        services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = maxUpload + (1024 * 1024));
        builder.WebHost.ConfigureKestrel(options => options.Limits.MaxRequestBodySize = maxUpload + (1024 * 1024));

        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("zh-CN");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            // API clients name their language in Accept-Language (e.g. statusLabel); the pages keep zh-CN
            // unless the official picks English, as a browser's own Accept-Language would otherwise switch them.
            var acceptLanguage = new AcceptLanguageHeaderRequestCultureProvider { Options = options };
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(context => context.Request.Path.StartsWithSegments("/api")
                    ? acceptLanguage.DetermineProviderCultureResult(context)
                    : Task.FromResult<ProviderCultureResult?>(null)),
            ];
        });
        return builder;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/culture", SetCulture).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult SetCulture(string? c, string? returnUrl, HttpContext context)
    {
        var culture = c == "en" ? "en" : "zh-CN";
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps });
        return Results.LocalRedirect(IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>
    /// A path on this site: one leading slash, not <c>//host</c> or <c>/\host</c> (browsers read both as another site),
    /// no control characters; anything else (absolute URLs included) goes to the home page.
    /// </summary>
    public static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
