using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// The application's database. Provider-specific subclasses own the migrations:
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/SafetyWorkflows.Infrastructure --startup-project src/SafetyWorkflows.Infrastructure
/// --context SqliteSafetyDbContext --output-dir Persistence/Migrations/Sqlite</c>, and the same with
/// <c>--context PostgresSafetyDbContext --output-dir Persistence/Migrations/PostgreSql</c>.
/// </summary>
/// <remarks>
/// Audit entries added in a unit of work are sealed into the chain inside the same transaction as the change they record
/// (<see cref="SaveChangesAsync(bool, CancellationToken)"/>), so the chain and the data can never disagree. Each provider
/// says how appends are serialised: <see cref="EnterAuditAppendAsync"/> before the transaction, <see cref="LockAuditChainAsync"/>
/// inside it, before the chain's head is read.
/// </remarks>
public abstract class SafetyDbContext(DbContextOptions options) : DbContext(options)
{
    private readonly List<AuditEntry> _pendingAudit = [];

    public DbSet<Unit> Units => Set<Unit>();

    public DbSet<Official> Officials => Set<Official>();

    public DbSet<RoleDefinition> RoleDefinitions => Set<RoleDefinition>();

    public DbSet<Identity.SignInSession> SignInSessions => Set<Identity.SignInSession>();

    public DbSet<Identity.SignInThrottle> SignInThrottles => Set<Identity.SignInThrottle>();

    public DbSet<LibraryDefinition> LibraryDefinitions => Set<LibraryDefinition>();

    public DbSet<Document> Documents => Set<Document>();

    public DbSet<DocumentField> DocumentFields => Set<DocumentField>();

    public DbSet<LibraryView> LibraryViews => Set<LibraryView>();

    public DbSet<DocumentVersion> DocumentVersions => Set<DocumentVersion>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Core.Notices.OfficialNotice> OfficialNotices => Set<Core.Notices.OfficialNotice>();

    public DbSet<Core.Notices.NoticeCounter> NoticeCounters => Set<Core.Notices.NoticeCounter>();

    public DbSet<Core.Notices.SignatureImage> SignatureImages => Set<Core.Notices.SignatureImage>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: audit sealing is asynchronous.");

    /// <summary>Queues an entry; it gets its place in the chain when the unit of work is saved.</summary>
    public void AppendAudit(AuditEntry entry) => _pendingAudit.Add(entry);

    /// <remarks>
    /// Changes are detected once, here: every tracked entity's values are compared with their snapshot, which is most of
    /// what a save allocates. Until the save ends, reading the change tracker (the document fields below, the
    /// notification interceptor, EF's own save) does not compare them again, so what runs inside must tell EF of any
    /// change it makes to a tracked entity (<see cref="Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry.DetectChanges"/>); added and removed entities need
    /// nothing.
    /// </remarks>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            ChangeTracker.DetectChanges();
        }

        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await SaveDetectedChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>The audit chain's last entry, read by every write that appends to the chain.</summary>
    private static readonly CompiledPerModel<Func<SafetyDbContext, CancellationToken, Task<AuditEntry?>>> LastAuditEntry = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, CancellationToken _) => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefault()));

    private async Task<int> SaveDetectedChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        await SyncDocumentFieldsAsync(cancellationToken);
        if (_pendingAudit.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var appendGate = await EnterAuditAppendAsync(cancellationToken);
        try
        {
            var ownTransaction = Database.CurrentTransaction is null;
            await using var transaction = ownTransaction ? await Database.BeginTransactionAsync(cancellationToken) : null;
            await LockAuditChainAsync(cancellationToken);
            var previous = await LastAuditEntry.For(this)(this, cancellationToken);
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
            appendGate?.Dispose();
        }
    }

    /// <summary>
    /// Rewrites the <see cref="DocumentField"/> rows of every document added, or whose metadata changed, in this unit of
    /// work; a change of stage or unit alone refreshes the two system fields.
    /// </summary>
    private async Task SyncDocumentFieldsAsync(CancellationToken cancellationToken)
    {
        var changed = ChangeTracker.Entries<Document>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && (e.Property(d => d.MetadataJson).IsModified
                || e.Property(d => d.Stage).IsModified || e.Property(d => d.Status).IsModified || e.Property(d => d.UnitId).IsModified)))
            .ToList();
        foreach (var entry in changed)
        {
            var id = entry.Entity.Id;
            if (entry.State == EntityState.Added)
            {
                DocumentFields.AddRange(DocumentField.For(entry.Entity));
                continue;
            }

            if (entry.Property(d => d.MetadataJson).IsModified)
            {
                DocumentFields.RemoveRange(await DocumentFields.Where(f => f.DocumentId == id).ToListAsync(cancellationToken));
                DocumentFields.AddRange(DocumentField.For(entry.Entity));
                continue;
            }

            var system = await DocumentFields.Where(f => f.DocumentId == id && (f.Key == DocumentField.UnitKey || f.Key == DocumentField.StageKey))
                .ToListAsync(cancellationToken);
            foreach (var field in system)
            {
                DocumentField.Refresh(field, entry.Entity);
                Entry(field).DetectChanges();
            }

            DocumentFields.AddRange(DocumentField.For(entry.Entity)
                .Where(f => f.Key is DocumentField.UnitKey or DocumentField.StageKey && system.All(s => s.Key != f.Key)));
        }
    }

    /// <summary>Taken before the sealing transaction begins and released after it ends (null: nothing to take).</summary>
    protected virtual Task<IDisposable?> EnterAuditAppendAsync(CancellationToken cancellationToken) => Task.FromResult<IDisposable?>(null);

    /// <summary>Taken inside the sealing transaction, before the chain's head is read; must last until the transaction ends.</summary>
    protected virtual Task LockAuditChainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SafetyDbContext).Assembly);
}

/// <summary>
/// The SQLite flavour (the embedded default). DateTimeOffset is stored as UTC ticks: SQLite cannot order or compare
/// offset text, and EF's binary converter drops sub-millisecond ticks, which would break the audit hashes.
/// </summary>
public sealed class SqliteSafetyDbContext(DbContextOptions<SqliteSafetyDbContext> options) : SafetyDbContext(options)
{
    /// <summary>
    /// How long a writer waits for the gate before it goes on without it (and SQLite's own lock decides): only a unit of
    /// work that writes through a second context while its first one holds the gate waits that long.
    /// </summary>
    private static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(10);

    // One writer at a time per database file in this process (ADR-012): writers queue here, asynchronously, instead of
    // meeting SQLite's write lock, where Microsoft.Data.Sqlite retries a busy statement by sleeping its thread 150 ms at a
    // time. One process only may use the file (ADR-006), so this gate sees every writer.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriterGates = new(StringComparer.Ordinal);

    private SemaphoreSlim? _writer;
    private WriterHold _hold;
    private int _returned;

    /// <summary>Why this context holds the writer gate: a save, a transaction it began, or one autocommitted command.</summary>
    internal enum WriterHold
    {
        Save,
        Transaction,
        Command,
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var entered = Database.CurrentTransaction is null && await EnterWriterAsync(WriterHold.Save, cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            if (entered)
            {
                ExitWriter(WriterHold.Save);
            }
        }
    }

    /// <summary>Takes the writer gate unless this context holds it already; false when it did not take it.</summary>
    internal async ValueTask<bool> EnterWriterAsync(WriterHold hold, CancellationToken cancellationToken)
    {
        if (!Reenter())
        {
            return false;
        }

        var gate = Gate();
        if (!await gate.WaitAsync(WriterWait, cancellationToken))
        {
            return false;
        }

        (_writer, _hold) = (gate, hold);
        return true;
    }

    /// <summary>As <see cref="EnterWriterAsync"/>, for EF's synchronous paths.</summary>
    internal bool EnterWriter(WriterHold hold)
    {
        if (!Reenter())
        {
            return false;
        }

        var gate = Gate();
        if (!gate.Wait(WriterWait))
        {
            return false;
        }

        (_writer, _hold) = (gate, hold);
        return true;
    }

    /// <summary>Gives the gate back if this context took it for <paramref name="hold"/>.</summary>
    internal void ExitWriter(WriterHold hold)
    {
        if (_writer is not null && _hold == hold)
        {
            _writer.Release();
            _writer = null;
        }
    }

    /// <summary>
    /// True when the gate is to be taken: this context does not hold it, or held it for a transaction that has ended
    /// without a commit or rollback event (disposed), which gives it back first.
    /// </summary>
    private bool Reenter()
    {
        if (_writer is null)
        {
            return true;
        }

        if (_hold == WriterHold.Transaction && Database.CurrentTransaction is null)
        {
            ExitWriter(WriterHold.Transaction);
            return true;
        }

        return false;
    }

    private SemaphoreSlim Gate() => WriterGates.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));

    /// <summary>The pooled open connection this context runs on (ADR-016), given back when it is disposed.</summary>
    internal SqliteConnectionPool.Lease? Lease { get; init; }

    public override void Dispose()
    {
        ExitWriter(_hold);
        base.Dispose();
        ReturnLease();
    }

    public override async ValueTask DisposeAsync()
    {
        ExitWriter(_hold);
        await base.DisposeAsync();
        ReturnLease();
    }

    private void ReturnLease()
    {
        if (Lease is not null && Interlocked.Exchange(ref _returned, 1) == 0)
        {
            Lease.Return();
        }
    }

    protected override async Task<IDisposable?> EnterAuditAppendAsync(CancellationToken cancellationToken)
    {
        // The save (or the transaction this context began) holds the writer gate: appends are serialised by it. Only a
        // save that went on without the gate (see WriterWait) waits for it here, so that the chain cannot fork.
        if (_writer is not null || Database.CurrentTransaction is not null)
        {
            return null;
        }

        var gate = Gate();
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

/// <summary>
/// The PostgreSQL flavour (scale-out, ADR-008). DateTimeOffset maps to <c>timestamptz</c>, which Npgsql accepts only at
/// offset zero: every value is written as UTC (our code creates +08:00 values) and read back as UTC. Appends to the audit
/// chain are serialised across every process on the database by a transaction-scoped advisory lock.
/// </summary>
public sealed class PostgresSafetyDbContext(DbContextOptions<PostgresSafetyDbContext> options) : SafetyDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
    }

    // Held until the sealing transaction commits or rolls back, so the next writer (here or in another process) reads the
    // head this one wrote. No in-process gate on top: the database lock alone is what keeps several processes on one chain.
    protected override async Task LockAuditChainAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PostgresLocks.AuditChain})", cancellationToken);

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(),
        value => value.ToUniversalTime());
}
