using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the web host (which would migrate and seed).</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSafetyDbContext>
{
    public SqliteSafetyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSafetyDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>The same for the PostgreSQL migrations; adding a migration does not connect, so no server is needed.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSafetyDbContext>
{
    public PostgresSafetyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSafetyDbContext>().UseNpgsql("Host=localhost;Database=safety_design_time").Options);
}
