using System.Text.RegularExpressions;

namespace Chat.WebFrontend.Auth;

/// <summary>The username and password rules of API.md.</summary>
public static partial class CredentialRules
{
    public const int MaxDisplayNameLength = 64;
    public const int MaxPasswordLength = 256;

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,32}$")]
    private static partial Regex UsernamePattern();

    public static bool IsValidUsername(string? username) => username is not null && UsernamePattern().IsMatch(username);

    /// <summary>At least 8 characters with an upper-case letter, a lower-case letter, a digit and a symbol.</summary>
    public static bool IsStrongPassword(string? password) =>
        password is { Length: >= 8 and <= MaxPasswordLength }
        && password.Any(char.IsUpper)
        && password.Any(char.IsLower)
        && password.Any(char.IsDigit)
        && password.Any(c => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c));
}
