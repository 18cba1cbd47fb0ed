namespace Chat.Grains.Accounts;

/// <summary>
/// Users and credentials (stateless workers, key: 0). Passwords arrive already hashed by the frontend's KDF;
/// refresh tokens arrive as opaque strings and are stored only as their SHA-256.
/// </summary>
[Alias("chat.IAccountsGrain")]
public interface IAccountsGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a user; CONFLICT if the username is taken (case-insensitively).</summary>
    [Alias("Register")]
    Task<UserProfile> RegisterAsync(string username, string displayName, string passwordHash);

    /// <summary>The user and password hash for a username, or null.</summary>
    [Alias("FindCredentials")]
    Task<UserCredentials?> FindCredentialsAsync(string username);

    /// <summary>Replaces a stored hash after a KDF upgrade (PasswordVerificationResult.SuccessRehashNeeded).</summary>
    [Alias("UpdatePasswordHash")]
    Task UpdatePasswordHashAsync(Guid userId, string passwordHash);

    /// <summary>A user's public profile; NOT_FOUND if there is none.</summary>
    [Alias("GetProfile")]
    Task<UserProfile> GetProfileAsync(Guid userId);

    /// <summary>The profiles of these users, in no particular order; unknown ids are left out.</summary>
    [Alias("GetProfiles")]
    Task<System.Collections.Immutable.ImmutableArray<UserProfile>> GetProfilesAsync(System.Collections.Immutable.ImmutableArray<Guid> userIds);

    /// <summary>Changes the display name and/or status message (null: unchanged); returns the new profile.</summary>
    [Alias("UpdateProfile")]
    Task<UserProfile> UpdateProfileAsync(Guid userId, string? displayName, string? statusMessage);

    /// <summary>
    /// Makes an image attachment the user uploaded their avatar (null removes it); anything else is VALIDATION_ERROR,
    /// an attachment they cannot see NOT_FOUND.
    /// </summary>
    [Alias("SetAvatar")]
    Task<UserProfile> SetAvatarAsync(Guid userId, Guid? attachmentId);

    /// <summary>Starts a session (a refresh-token family) holding this refresh token; returns the session id.</summary>
    [Alias("StartSession")]
    Task<Guid> StartSessionAsync(Guid userId, string refreshToken, DateTimeOffset expiresAt);

    /// <summary>
    /// Spends a refresh token and stores its successor in one statement, returning the user and session. The
    /// successor expires at <paramref name="nextExpiresAt"/> or when the session reaches
    /// <paramref name="maxSessionAge"/>. A token presented a second time revokes its whole session; spent, revoked,
    /// expired or unknown tokens are UNAUTHORIZED.
    /// </summary>
    [Alias("RotateRefreshToken")]
    Task<(Guid UserId, Guid SessionId)> RotateRefreshTokenAsync(string refreshToken, string nextRefreshToken, DateTimeOffset nextExpiresAt, TimeSpan maxSessionAge);

    /// <summary>Revokes the session of a token (logout) and closes its hub connections. Unknown tokens are ignored.</summary>
    [Alias("RevokeRefreshToken")]
    Task RevokeRefreshTokenAsync(string refreshToken);

    /// <summary>Whether a session can still be refreshed: false once revoked or past its maximum age.</summary>
    [Alias("IsSessionLive")]
    Task<bool> IsSessionLiveAsync(Guid sessionId);
}

[GenerateSerializer, Immutable, Alias("chat.user-profile")]
public sealed record UserProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Username,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string StatusMessage,
    [property: Id(4)] Guid? AvatarAttachmentId,
    [property: Id(5)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable, Alias("chat.user-credentials")]
public sealed record UserCredentials(
    [property: Id(0)] UserProfile User,
    [property: Id(1)] string PasswordHash);
