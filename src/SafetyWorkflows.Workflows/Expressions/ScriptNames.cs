namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>Which variable, input and activity names can become part of a generated JavaScript function name.</summary>
internal static class ScriptNames
{
    /// <summary>
    /// Letters, digits, <c>_</c> and <c>$</c> only. A leading digit is fine because the name always follows a
    /// <c>get</c>/<c>set</c> prefix. Elsa accepts letters and digits only; we also accept <c>_</c> and <c>$</c>, which
    /// JavaScript allows and Studio users do type.
    /// </summary>
    public static bool IsValidIdentifierPart(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not '_' and not '$')
            {
                return false;
            }
        }

        return true;
    }

    public static string Pascalize(string name) =>
        char.IsLower(name[0]) ? string.Concat(char.ToUpperInvariant(name[0]).ToString(), name.AsSpan(1)) : name;
}
