using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SafetyWorkflows.Infrastructure.Identity;

/// <summary>One sign-in: a cookie or a bearer token carries its id. Logging out revokes it; it is also dead once the person's
/// security stamp moves on (password change, reset, deactivation, new roles, forced sign-out).</summary>
public sealed class SignInSession
{
    public Guid Id { get; set; }

    public string UserName { get; set; } = "";

    /// <summary><c>cookie</c> or <c>token</c>.</summary>
    public string Kind { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? Address { get; set; }

    public string? UserAgent { get; set; }
}

/// <summary>Failed sign-ins counted under one key: <c>user:{name}</c> (whether or not the name exists) or <c>addr:{address}</c>.</summary>
public sealed class SignInThrottle
{
    public string Key { get; set; } = "";

    public int Failures { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }

    /// <summary>No attempt under this key is judged before this moment.</summary>
    public DateTimeOffset BlockedUntil { get; set; }
}

internal sealed class SignInSessionConfiguration : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.UserName).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Kind).HasMaxLength(16).IsRequired();
        builder.Property(s => s.Address).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(256);
        builder.HasIndex(s => s.UserName);
    }
}

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> builder)
    {
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(200);
    }
}
