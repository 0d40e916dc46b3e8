using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Core.Notices;

public enum SigningAlgorithm
{
    Rsa,
    Sm2,
}

/// <summary>Section <c>Notices</c>: who issues the official notices, their 机关代字, the signing key and the CJK font.</summary>
public sealed class NoticeOptions : IValidatableObject
{
    public const string Section = "Notices";

    /// <summary>发文机关: printed in red as the header and above the seal line.</summary>
    [Required(AllowEmptyStrings = false)]
    [MaxLength(60)]
    public string IssuingAuthority { get; set; } = "镇安全生产委员会办公室";

    /// <summary>机关代字 per notice kind (keys of <see cref="NoticeKinds"/>); a kind not named uses its default.</summary>
    public Dictionary<string, string> AgencyCodes { get; set; } = [];

    public SigningAlgorithm SigningAlgorithm { get; set; } = SigningAlgorithm.Rsa;

    /// <summary>The installation's signing key and certificate (PEM), relative to <c>Storage:DataDirectory</c>; empty:
    /// <c>notices/signing-rsa.pem</c> or <c>notices/signing-sm2.pem</c>. Created at first start when missing.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The CJK font embedded (as a subset) in every notice: a TrueType font or collection (the first face).</summary>
    [Required(AllowEmptyStrings = false)]
    public string FontPath { get; set; } = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /// <summary>The largest signature image an official may register, in bytes.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxSignatureImageBytes { get; set; } = 512 * 1024;

    public string AgencyCode(NoticeKind kind) =>
        AgencyCodes.TryGetValue(kind.Key, out var code) && !string.IsNullOrWhiteSpace(code) ? code.Trim() : kind.DefaultAgencyCode;

    public string ResolveCertificatePath(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory,
        string.IsNullOrWhiteSpace(CertificatePath) ? $"notices/signing-{SigningAlgorithm.ToString().ToLowerInvariant()}.pem" : CertificatePath));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, code) in AgencyCodes)
        {
            if (NoticeKinds.Find(key) is null)
            {
                yield return new ValidationResult(
                    $"Notices:AgencyCodes:{key} is not a notice kind ({string.Join(", ", NoticeKinds.All.Select(k => k.Key))}).",
                    [nameof(AgencyCodes)]);
            }
            else if (string.IsNullOrWhiteSpace(code) || code.Length > 20 || code.Any(c => char.IsWhiteSpace(c) || c is '〔' or '〕'))
            {
                yield return new ValidationResult($"Notices:AgencyCodes:{key} must be 1–20 characters without spaces or 〔〕.", [nameof(AgencyCodes)]);
            }
        }

        if (!File.Exists(FontPath))
        {
            yield return new ValidationResult(
                $"Notices:FontPath: the CJK font '{FontPath}' does not exist; install Debian's fonts-wqy-microhei or point the key at a TrueType font.",
                [nameof(FontPath)]);
        }
    }
}
