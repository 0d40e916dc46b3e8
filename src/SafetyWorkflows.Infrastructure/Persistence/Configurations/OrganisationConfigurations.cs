using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Infrastructure.Persistence.Configurations;

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(64);
        builder.Property(u => u.Name).HasMaxLength(200).IsRequired();
        builder.Property(u => u.NameEn).HasMaxLength(200);
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(u => u.ParentId).HasMaxLength(64);
        builder.Property(u => u.Sector).HasMaxLength(64);
    }
}

internal sealed class OfficialConfiguration : IEntityTypeConfiguration<Official>
{
    public void Configure(EntityTypeBuilder<Official> builder)
    {
        builder.HasKey(o => o.UserName);
        builder.Property(o => o.UserName).HasMaxLength(64);
        builder.Property(o => o.DisplayName).HasMaxLength(100).IsRequired();
        builder.Property(o => o.Email).HasMaxLength(256).IsRequired();
        builder.Property(o => o.UnitId).HasMaxLength(64);
        builder.Property(o => o.Position).HasMaxLength(100);
        builder.Property(o => o.PasswordHash).HasMaxLength(256).IsRequired();
        builder.Property(o => o.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(o => o.Roles)
            .HasConversion(
                roles => string.Join(',', roles),
                text => text.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new ValueComparer<List<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    list => list.Aggregate(0, (hash, role) => HashCode.Combine(hash, role.GetHashCode(StringComparison.Ordinal))),
                    list => list.ToList()))
            .HasMaxLength(500);
        builder.HasIndex(o => o.Email);
    }
}

internal sealed class RoleDefinitionConfiguration : IEntityTypeConfiguration<RoleDefinition>
{
    public void Configure(EntityTypeBuilder<RoleDefinition> builder)
    {
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(64);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.NameEn).HasMaxLength(100);
    }
}
