using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>One applied <c>Idempotency-Key</c> (table <c>AppliedCommands</c>); <see cref="Body"/> is null until answered.</summary>
public sealed class AppliedCommandRow
{
    public required string Key { get; set; }

    public required string Target { get; set; }

    public required string By { get; set; }

    public int? Status { get; set; }

    public string? Location { get; set; }

    public string? Body { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class AppliedCommandConfiguration : IEntityTypeConfiguration<AppliedCommandRow>
{
    public void Configure(EntityTypeBuilder<AppliedCommandRow> builder)
    {
        builder.ToTable("AppliedCommands");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(100);
        builder.Property(c => c.Target).HasMaxLength(300);
        builder.Property(c => c.By).HasMaxLength(64);
        builder.Property(c => c.Location).HasMaxLength(300);
    }
}

internal sealed class EfIdempotencyKeys(SafetyDbContext db) : IIdempotencyKeys
{
    public Task<IdempotentAnswer?> FindAsync(string key, CancellationToken cancellationToken) =>
        db.Set<AppliedCommandRow>().AsNoTracking().Where(c => c.Key == key)
            .Select(c => new IdempotentAnswer(c.Key, c.Target, c.By, c.Status, c.Location, c.Body, c.At)).FirstOrDefaultAsync(cancellationToken);

    public void Claim(string key, string target, string by, DateTimeOffset at) =>
        db.Set<AppliedCommandRow>().Add(new AppliedCommandRow { Key = key, Target = target, By = by, At = at });

    public void Release(string key)
    {
        foreach (var entry in db.ChangeTracker.Entries<AppliedCommandRow>().Where(e => e.Entity.Key == key && e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public async Task RecordAnswerAsync(string key, int status, string? location, string body, CancellationToken cancellationToken)
    {
        await db.Set<AppliedCommandRow>().Where(c => c.Key == key)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Status, status).SetProperty(c => c.Location, location).SetProperty(c => c.Body, body), cancellationToken);
        Release(key);
    }
}
