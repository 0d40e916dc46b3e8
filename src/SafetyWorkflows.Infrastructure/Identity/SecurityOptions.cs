using System.ComponentModel.DataAnnotations;
using System.Net;

namespace SafetyWorkflows.Infrastructure.Identity;

/// <summary>Section <c>Security</c>: sign-in throttling and lock-out, the password policy, proxies and HSTS.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "Security";

    /// <summary>Addresses of reverse proxies whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed (e.g. the TLS
    /// terminator). Empty: forwarded headers are ignored and the connection's own address and scheme count.</summary>
    public List<string> KnownProxies { get; set; } = [];

    [Required]
    public SignInOptions SignIn { get; set; } = new();

    [Required]
    public PasswordOptions Password { get; set; } = new();

    /// <summary><c>Strict-Transport-Security</c> max-age on https answers; 0 turns HSTS off.</summary>
    [Range(0, 3650)]
    public int HstsMaxAgeDays { get; set; } = 365;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Security:KnownProxies: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var result in ValidateChild(SignIn, nameof(SignIn)).Concat(ValidateChild(Password, nameof(Password))))
        {
            yield return result;
        }
    }

    private static IEnumerable<ValidationResult> ValidateChild(object child, string name)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(child, new ValidationContext(child), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"Security:{name}: {r.ErrorMessage}", r.MemberNames.Select(m => $"{name}:{m}")));
    }
}

/// <summary><c>Security:SignIn</c>. Failures are counted per user name (known or not, so the answers do not tell which names
/// exist) and per client address. The first failure is free; after the n-th (n ≥ 2) the next attempt waits
/// <see cref="BackoffSeconds"/> × 2^(n−2),
/// at most <see cref="MaxBackoffSeconds"/>; at <see cref="MaxFailures"/> the name is locked for <see cref="LockoutMinutes"/>.
/// An address is locked after <see cref="MaxFailuresPerAddress"/>. Counts are forgotten <see cref="LockoutMinutes"/> after the
/// last failure; a successful sign-in clears the name's count.</summary>
public sealed class SignInOptions
{
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 10_000)]
    public int MaxFailuresPerAddress { get; set; } = 50;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(0, 3600)]
    public double BackoffSeconds { get; set; } = 1;

    [Range(0, 3600)]
    public double MaxBackoffSeconds { get; set; } = 60;

    /// <summary>How long a web sign-in (cookie) lasts without use; a bearer token lasts 8 hours.</summary>
    [Range(1, 168)]
    public int CookieHours { get; set; } = 12;

    /// <summary>However much it is used, a web sign-in ends this many days after it began.</summary>
    [Range(1, 90)]
    public int CookieMaxDays { get; set; } = 7;
}

/// <summary><c>Security:Password</c>: the policy for passwords people choose (and temporary ones an administrator sets).</summary>
public sealed class PasswordOptions
{
    [Range(8, 128)]
    public int MinLength { get; set; } = 8;

    /// <summary>How many of the four kinds (lower case, upper case, digits, other characters) a password must mix.</summary>
    [Range(1, 4)]
    public int MinCharacterKinds { get; set; } = 3;
}
