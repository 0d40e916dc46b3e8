using System.Security.Cryptography;

namespace SafetyWorkflows.Infrastructure.Identity;

/// <summary>The password policy (等保 2.0: length and a mix of character kinds) and temporary passwords that meet it.</summary>
public static class PasswordPolicy
{
    private const string Lower = "abcdefghjkmnpqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    private const string Others = "@#%+=?!";

    /// <summary>Null when the password meets the policy, otherwise why not, as "中文 (English)".</summary>
    public static string? Check(string password, string userName, PasswordOptions policy)
    {
        if (password.Length < policy.MinLength)
        {
            return $"密码至少 {policy.MinLength} 位 (the password must have at least {policy.MinLength} characters).";
        }

        if (password.Length > 128)
        {
            return "密码最多 128 位 (the password may have at most 128 characters).";
        }

        var kinds = new[] { password.Any(char.IsLower), password.Any(char.IsUpper), password.Any(char.IsDigit), password.Any(c => !char.IsLetterOrDigit(c)) }
            .Count(present => present);
        if (kinds < policy.MinCharacterKinds)
        {
            return $"密码须包含小写字母、大写字母、数字、符号中的至少 {policy.MinCharacterKinds} 种 " +
                $"(the password must mix at least {policy.MinCharacterKinds} of lower case, upper case, digits and symbols).";
        }

        if (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "密码不能包含用户名 (the password must not contain the user name).";
        }

        return null;
    }

    /// <summary>A random 14-character password with every kind of character, no look-alikes (0/O, 1/l/I).</summary>
    public static string Temporary()
    {
        var chars = new List<char>();
        chars.AddRange(Pick(Upper, 4));
        chars.AddRange(Pick(Lower, 5));
        chars.AddRange(Pick(Digits, 3));
        chars.AddRange(Pick(Others, 2));
        RandomNumberGenerator.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chars));
        return new string(chars.ToArray());
    }

    private static IEnumerable<char> Pick(string alphabet, int count) =>
        Enumerable.Range(0, count).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
}
