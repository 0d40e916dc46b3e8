using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the web host (which would migrate and seed).</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSafetyDbContext>
{
    public SqliteSafetyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSafetyDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
