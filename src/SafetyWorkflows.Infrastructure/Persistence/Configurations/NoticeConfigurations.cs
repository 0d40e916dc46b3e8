using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Notices;

namespace SafetyWorkflows.Infrastructure.Persistence.Configurations;

internal sealed class OfficialNoticeConfiguration : IEntityTypeConfiguration<OfficialNotice>
{
    public void Configure(EntityTypeBuilder<OfficialNotice> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Kind).HasMaxLength(32).IsRequired();
        builder.Property(n => n.Number).HasMaxLength(64).IsRequired();
        builder.Property(n => n.VerificationCode).HasMaxLength(32).IsRequired();
        builder.Property(n => n.Title).HasMaxLength(100).IsRequired();
        builder.Property(n => n.DocumentTitle).HasMaxLength(200).IsRequired();
        builder.Property(n => n.DocumentVersion).HasMaxLength(16).IsRequired();
        builder.Property(n => n.Sha256).HasMaxLength(64).IsRequired();
        builder.Property(n => n.SignatureAlgorithm).HasMaxLength(8).IsRequired();
        builder.Property(n => n.IssuedBy).HasMaxLength(64).IsRequired();
        builder.Ignore(n => n.FileName);
        builder.HasOne<Core.Documents.Document>().WithMany().HasForeignKey(n => n.DocumentId).OnDelete(DeleteBehavior.Restrict);
        // One notice per document and kind; one number per kind and year: two issues at once can never share either.
        builder.HasIndex(n => new { n.DocumentId, n.Kind }).IsUnique();
        builder.HasIndex(n => new { n.Kind, n.Year, n.Sequence }).IsUnique();
        builder.HasIndex(n => n.VerificationCode).IsUnique();
    }
}

internal sealed class NoticeCounterConfiguration : IEntityTypeConfiguration<NoticeCounter>
{
    public void Configure(EntityTypeBuilder<NoticeCounter> builder)
    {
        builder.HasKey(c => new { c.Kind, c.Year });
        builder.Property(c => c.Kind).HasMaxLength(32);
        // The number itself is the optimistic token: a second issue that read the same number fails its UPDATE and retries.
        builder.Property(c => c.LastNumber).IsConcurrencyToken();
    }
}

internal sealed class SignatureImageConfiguration : IEntityTypeConfiguration<SignatureImage>
{
    public void Configure(EntityTypeBuilder<SignatureImage> builder)
    {
        builder.HasKey(s => s.UserName);
        builder.Property(s => s.UserName).HasMaxLength(64);
        builder.Property(s => s.ContentType).HasMaxLength(32).IsRequired();
        builder.Property(s => s.Content).IsRequired();
    }
}
