using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SafetyWorkflows.Infrastructure.Workflows;

internal sealed class WorkflowDefinitionRowConfiguration : IEntityTypeConfiguration<WorkflowDefinitionRow>
{
    public void Configure(EntityTypeBuilder<WorkflowDefinitionRow> builder)
    {
        builder.ToTable("WorkflowDefinitions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(64);
        builder.Property(d => d.DefinitionId).HasMaxLength(128);
        builder.Property(d => d.Name).HasMaxLength(256);
        builder.Property(d => d.SourceFile).HasMaxLength(260);
        builder.Property(d => d.SourceHash).HasMaxLength(64);
        builder.HasIndex(d => new { d.DefinitionId, d.Version }).IsUnique();
        builder.HasIndex(d => d.Name);
    }
}

internal sealed class WorkflowInstanceRowConfiguration : IEntityTypeConfiguration<WorkflowInstanceRow>
{
    public void Configure(EntityTypeBuilder<WorkflowInstanceRow> builder)
    {
        builder.ToTable("WorkflowInstances");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(64);
        builder.Property(i => i.DefinitionId).HasMaxLength(128);
        builder.Property(i => i.DefinitionVersionId).HasMaxLength(64);
        builder.Property(i => i.Status).HasMaxLength(16);
        builder.Property(i => i.SubStatus).HasMaxLength(16);
        builder.Property(i => i.CorrelationId).HasMaxLength(256);
        builder.Property(i => i.Name).HasMaxLength(256);
        builder.Property(i => i.RowVersion).IsConcurrencyToken();
        builder.HasIndex(i => new { i.DefinitionId, i.UpdatedAt });
        builder.HasIndex(i => i.CorrelationId);
        builder.HasIndex(i => new { i.SubStatus, i.UpdatedAt });
    }
}

internal sealed class BookmarkRowConfiguration : IEntityTypeConfiguration<BookmarkRow>
{
    public void Configure(EntityTypeBuilder<BookmarkRow> builder)
    {
        builder.ToTable("WorkflowBookmarks");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasMaxLength(64);
        builder.Property(b => b.Name).HasMaxLength(128);
        builder.Property(b => b.Hash).HasMaxLength(64);
        builder.Property(b => b.WorkflowInstanceId).HasMaxLength(64);
        builder.Property(b => b.ActivityInstanceId).HasMaxLength(64);
        builder.Property(b => b.CorrelationId).HasMaxLength(256);
        builder.HasIndex(b => b.Hash);
        builder.HasIndex(b => b.WorkflowInstanceId);

        // The outbox pump's read: due timers not yet handed to Hangfire, oldest first.
        builder.HasIndex(b => new { b.HandedOffAt, b.DueAt });
    }
}

internal sealed class TriggerRowConfiguration : IEntityTypeConfiguration<TriggerRow>
{
    public void Configure(EntityTypeBuilder<TriggerRow> builder)
    {
        builder.ToTable("WorkflowTriggers");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64);
        builder.Property(t => t.WorkflowDefinitionId).HasMaxLength(128);
        builder.Property(t => t.WorkflowDefinitionVersionId).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(128);
        builder.Property(t => t.ActivityId).HasMaxLength(128);
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.HasIndex(t => t.Hash);
        builder.HasIndex(t => t.WorkflowDefinitionId);
    }
}

internal sealed class JournalRowConfiguration : IEntityTypeConfiguration<JournalRow>
{
    public void Configure(EntityTypeBuilder<JournalRow> builder)
    {
        builder.ToTable("WorkflowJournal");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).HasMaxLength(64);
        builder.Property(j => j.WorkflowInstanceId).HasMaxLength(64);
        builder.Property(j => j.ActivityNodeId).HasMaxLength(512);
        builder.Property(j => j.EventName).HasMaxLength(64);
        builder.HasIndex(j => new { j.WorkflowInstanceId, j.Sequence });
    }
}

internal sealed class ActivityExecutionRowConfiguration : IEntityTypeConfiguration<ActivityExecutionRow>
{
    public void Configure(EntityTypeBuilder<ActivityExecutionRow> builder)
    {
        builder.ToTable("WorkflowActivityExecutions");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(64);
        builder.Property(a => a.WorkflowInstanceId).HasMaxLength(64);
        builder.Property(a => a.ActivityNodeId).HasMaxLength(512);
        builder.Property(a => a.Status).HasMaxLength(16);
        builder.HasIndex(a => new { a.WorkflowInstanceId, a.ActivityNodeId });
    }
}
