namespace Chat.WebFrontend.Auth;

/// <summary>Token and password settings, bound from <c>Chat:Auth</c>. Every frontend of a deployment shares the keys.</summary>
public sealed class AuthOptions
{
    public const string Section = "Chat:Auth";

    /// <summary>The HMAC-SHA256 key new access tokens are signed with, at least 32 bytes. Required.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The <c>kid</c> written in the header of tokens signed with <see cref="SigningKey"/>.</summary>
    public string SigningKeyId { get; set; } = "k1";

    /// <summary>
    /// During a key roll, the key being retired: tokens it signed stay valid until they expire, none are signed with
    /// it. Remove it once the access-token lifetime has passed since the roll (SECURITY.md, "Rotating the signing key").
    /// </summary>
    public string? PreviousSigningKey { get; set; }

    public string? PreviousSigningKeyId { get; set; }

    public string Issuer { get; set; } = "chat";
    public string Audience { get; set; } = "chat";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a download ticket (the <c>?ticket=</c> of an img src or a download link) stays valid.</summary>
    public TimeSpan DownloadTicketLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a refresh token may wait to be used; each use issues a new one.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a session (a login and all its refreshes) lasts at most before the password is asked again.</summary>
    public TimeSpan MaxSessionAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>PBKDF2-HMAC-SHA512 iterations: OWASP's 2023 figure. Older hashes are replaced at the next login.</summary>
    public int PasswordHashIterations { get; set; } = 210_000;
}
