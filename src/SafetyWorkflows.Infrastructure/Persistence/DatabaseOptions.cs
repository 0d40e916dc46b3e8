using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace SafetyWorkflows.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Section <c>Database</c>. SQLite in the data directory is the default (one process); <see cref="DatabaseProvider.PostgreSql"/>
/// puts the app and Hangfire on one PostgreSQL database that any number of processes share (ADR-008).
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Overrides the SQLite file (default <c>{Storage:DataDirectory}/safety.db</c>); required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != DatabaseProvider.PostgreSql)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Database:ConnectionString is required when Database:Provider=PostgreSql "
                + "(e.g. Host=db;Database=safety;Username=safety;Password=...; set it as the environment variable Database__ConnectionString).",
                [nameof(ConnectionString)]);
            yield break;
        }

        string? problem = null;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
            {
                problem = "it must name a Host and a Database";
            }
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult(
                $"Database:ConnectionString is not a usable PostgreSQL connection string: {problem}.", [nameof(ConnectionString)]);
        }
    }
}
