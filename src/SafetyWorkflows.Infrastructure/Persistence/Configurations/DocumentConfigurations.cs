using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence.Configurations;

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.LibraryKey).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Title).HasMaxLength(200).IsRequired();
        builder.Property(d => d.UnitId).HasMaxLength(64).IsRequired();
        builder.Property(d => d.MetadataJson).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Stage).HasMaxLength(32);
        builder.Property(d => d.CheckedOutBy).HasMaxLength(64);
        builder.Property(d => d.CreatedBy).HasMaxLength(64);
        builder.Property(d => d.Revision).IsConcurrencyToken();
        builder.Ignore(d => d.CurrentVersion);
        builder.Ignore(d => d.CurrentVersionEntry);
        builder.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Versions).HasField("_versions").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(d => new { d.LibraryKey, d.UpdatedAt }).HasDatabaseName(ListIndexes.ByUpdatedAt);
        builder.HasIndex(d => new { d.LibraryKey, d.UnitId, d.UpdatedAt });
        builder.HasIndex(d => new { d.LibraryKey, d.Status, d.UpdatedAt });
        builder.HasIndex(d => d.RevisionOfId);
        // Lists: a title sort walks this index in order.
        builder.HasIndex(d => new { d.LibraryKey, d.Title }).HasDatabaseName(ListIndexes.ByTitle);
    }
}

internal sealed class DocumentVersionConfiguration : IEntityTypeConfiguration<DocumentVersion>
{
    public void Configure(EntityTypeBuilder<DocumentVersion> builder)
    {
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever(); // set by the aggregate; lets EF see a new version as Added
        builder.Property(v => v.ContentHash).HasMaxLength(64).IsRequired();
        builder.Property(v => v.FileName).HasMaxLength(260).IsRequired();
        builder.Property(v => v.ContentType).HasMaxLength(128).IsRequired();
        builder.Property(v => v.Comment).HasMaxLength(1000);
        builder.Property(v => v.CreatedBy).HasMaxLength(64);
        builder.Ignore(v => v.Number);
        builder.Ignore(v => v.File);
        builder.HasIndex(v => new { v.DocumentId, v.Major, v.Minor }).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Actor).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Version).HasMaxLength(16);
        builder.Property(e => e.Summary).HasMaxLength(2000).IsRequired();
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsRequired();
        builder.Ignore(e => e.IsSealed);
        builder.HasIndex(e => e.DocumentId);
    }
}

internal sealed class DocumentFieldConfiguration : IEntityTypeConfiguration<DocumentField>
{
    public void Configure(EntityTypeBuilder<DocumentField> builder)
    {
        builder.HasKey(f => new { f.DocumentId, f.Key });
        builder.Property(f => f.Key).HasMaxLength(40);
        builder.Property(f => f.LibraryKey).HasMaxLength(64).IsRequired();
        builder.Property(f => f.SortText).HasMaxLength(DocumentField.SortTextLength);
        builder.HasOne<Document>().WithMany().HasForeignKey(f => f.DocumentId).OnDelete(DeleteBehavior.Cascade);
        // A filter is a range of one of these (and a count, the range's length); a sort walks one in order.
        builder.HasIndex(f => new { f.LibraryKey, f.Key, f.SortText, f.DocumentId }).HasDatabaseName(ListIndexes.BySortText);
        builder.HasIndex(f => new { f.LibraryKey, f.Key, f.Number, f.DocumentId }).HasDatabaseName(ListIndexes.ByNumber);
    }
}

internal sealed class LibraryViewConfiguration : IEntityTypeConfiguration<LibraryView>
{
    public void Configure(EntityTypeBuilder<LibraryView> builder)
    {
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.LibraryKey).HasMaxLength(48).IsRequired();
        builder.Property(v => v.Name).HasMaxLength(30).IsRequired();
        builder.Property(v => v.Owner).HasMaxLength(64);
        builder.Property(v => v.Sort).HasMaxLength(60);
        builder.Property(v => v.FiltersJson).IsRequired();
        builder.Property(v => v.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Ignore(v => v.Spec);
        builder.Ignore(v => v.IsShared);
        builder.HasIndex(v => new { v.LibraryKey, v.Owner });
    }
}
