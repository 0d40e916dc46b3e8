using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// The application's database. Provider-specific subclasses own the migrations:
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/SafetyWorkflows.Infrastructure --startup-project src/SafetyWorkflows.Infrastructure
/// --context SqliteSafetyDbContext --output-dir Persistence/Migrations/Sqlite</c>.
/// </summary>
/// <remarks>
/// Audit entries added in a unit of work are sealed into the chain inside the same transaction as the change they record
/// (<see cref="SaveChangesAsync(bool, CancellationToken)"/>), so the chain and the data can never disagree.
/// </remarks>
public abstract class SafetyDbContext(DbContextOptions options) : DbContext(options)
{
    // One writer at a time appends to a chain in this process (one lock per database: apps on other files must not
    // queue behind it); the database transaction guards across processes.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> AuditAppendLocks = new(StringComparer.Ordinal);

    private readonly List<AuditEntry> _pendingAudit = [];

    public DbSet<Unit> Units => Set<Unit>();

    public DbSet<Official> Officials => Set<Official>();

    public DbSet<RoleDefinition> RoleDefinitions => Set<RoleDefinition>();

    public DbSet<Document> Documents => Set<Document>();

    public DbSet<DocumentVersion> DocumentVersions => Set<DocumentVersion>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: audit sealing is asynchronous.");

    /// <summary>Queues an entry; it gets its place in the chain when the unit of work is saved.</summary>
    public void AppendAudit(AuditEntry entry) => _pendingAudit.Add(entry);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (_pendingAudit.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var appendLock = AuditAppendLocks.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await appendLock.WaitAsync(cancellationToken);
        try
        {
            var ownTransaction = Database.CurrentTransaction is null;
            await using var transaction = ownTransaction ? await Database.BeginTransactionAsync(cancellationToken) : null;
            var previous = await AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
            foreach (var entry in _pendingAudit)
            {
                entry.Seal(previous);
                previous = entry;
            }

            AuditEntries.AddRange(_pendingAudit);
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        finally
        {
            // Committed, or rolled back with the change they describe: either way these entries are done with.
            _pendingAudit.Clear();
            appendLock.Release();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SafetyDbContext).Assembly);
}

/// <summary>
/// The SQLite flavour (the embedded default). DateTimeOffset is stored as UTC ticks: SQLite cannot order or compare
/// offset text, and EF's binary converter drops sub-millisecond ticks, which would break the audit hashes.
/// </summary>
public sealed class SqliteSafetyDbContext(DbContextOptions<SqliteSafetyDbContext> options) : SafetyDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
