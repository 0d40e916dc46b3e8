using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Core.Storage;

/// <summary>Section <c>Storage</c>: where the app keeps its files and how large an upload may be.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The data directory (SQLite files, file store, keys). Relative paths are resolved against the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The largest file accepted by an upload or check-in, in bytes (default 50 MB).</summary>
    [Range(1, 2L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}
