using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Section <c>Database</c>. <see cref="Provider"/> is the seam for scale-out; SQLite in the data directory is the default.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Overrides the SQLite file (default <c>{Storage:DataDirectory}/safety.db</c>) or names the PostgreSQL server.</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            yield return new ValidationResult(
                "Database:Provider=PostgreSql is not available in this build yet; use Sqlite (the default).",
                [nameof(Provider)]);
        }
    }
}
