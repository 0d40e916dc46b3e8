using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Infrastructure.Persistence.Configurations;

internal sealed class LibraryConfiguration : IEntityTypeConfiguration<LibraryDefinition>
{
    public void Configure(EntityTypeBuilder<LibraryDefinition> builder)
    {
        builder.ToTable("Libraries");
        builder.HasKey(l => l.Key);
        builder.Property(l => l.Key).HasMaxLength(48);
        builder.Property(l => l.Name).HasMaxLength(50).IsRequired();
        builder.Property(l => l.NameEn).HasMaxLength(50).IsRequired();
        builder.Property(l => l.UnitColumn).HasMaxLength(40).IsRequired();
        builder.Property(l => l.ChainId).HasMaxLength(100).IsRequired();
        builder.Property(l => l.ColumnsJson).IsRequired();
        builder.Property(l => l.ConcurrencyStamp).IsConcurrencyToken();
        builder.Ignore(l => l.Columns);
    }
}
