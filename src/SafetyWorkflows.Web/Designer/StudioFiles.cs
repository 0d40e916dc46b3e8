using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace SafetyWorkflows.Web.Designer;

/// <summary>
/// The files of the Elsa Studio bundle that a host page needs: <c>_framework/</c> (the .NET WebAssembly runtime and
/// assemblies), <c>_content/</c> (MudBlazor, Radzen, Monaco, the designer scripts and styles) and the scoped-styles
/// bundle. The package's own <c>index.html</c> (a tag the bundle never registers, and Google-Fonts links) and its
/// <c>appsettings.json</c> (a localhost backend) are not exposed.
/// </summary>
public sealed class StudioFiles : IFileProvider, IDisposable
{
    public const string StylesBundle = "/Elsa.Studio.Host.CustomElements.styles.css";

    private readonly PhysicalFileProvider? _inner;

    public StudioFiles(IOptions<DesignerOptions> options, IWebHostEnvironment environment)
    {
        var directory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StudioDirectory));
        Directory = directory;
        _inner = System.IO.Directory.Exists(Path.Combine(directory, "_framework")) ? new PhysicalFileProvider(directory) : null;
    }

    /// <summary>The resolved bundle folder.</summary>
    public string Directory { get; }

    /// <summary>False when the bundle has not been restored (the build runs <c>npm ci</c>; see the web project file).</summary>
    public bool IsAvailable => _inner is not null;

    /// <summary>Content types of the bundle's files; precompressed copies (<c>.br</c>, <c>.gz</c>) take the type of the file they hold.</summary>
    public static IContentTypeProvider ContentTypes { get; } = new StudioContentTypes();

    public IFileInfo GetFileInfo(string subpath) =>
        _inner is not null && IsExposed(subpath) ? _inner.GetFileInfo(subpath) : new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public void Dispose() => _inner?.Dispose();

    private static bool IsExposed(string subpath) =>
        !subpath.Contains("..", StringComparison.Ordinal)
        && (subpath.StartsWith("/_framework/", StringComparison.Ordinal)
            || subpath.StartsWith("/_content/", StringComparison.Ordinal)
            || subpath.StartsWith(StylesBundle, StringComparison.Ordinal));

    private sealed class StudioContentTypes : IContentTypeProvider
    {
        private readonly FileExtensionContentTypeProvider _types = new();

        public StudioContentTypes()
        {
            var mappings = _types.Mappings;
            mappings[".wasm"] = "application/wasm";
            mappings[".dat"] = "application/octet-stream";
            mappings[".blat"] = "application/octet-stream";
            mappings[".dll"] = "application/octet-stream";
            mappings[".pdb"] = "application/octet-stream";
            mappings[".json"] = "application/json";
            mappings[".map"] = "application/json";
            mappings[".webmanifest"] = "application/manifest+json";
            mappings[".woff2"] = "font/woff2";
            mappings[".scss"] = "text/x-scss";
            mappings[".cur"] = "image/x-icon";
        }

        public bool TryGetContentType(string subpath, out string contentType)
        {
            var name = subpath.EndsWith(".br", StringComparison.Ordinal) || subpath.EndsWith(".gz", StringComparison.Ordinal) ? subpath[..^3] : subpath;
            if (_types.TryGetContentType(name, out var found))
            {
                contentType = found;
                return true;
            }

            contentType = "application/octet-stream";
            return true;
        }
    }
}
