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

    /// <summary>Stores a new refresh token: a new family when <paramref name="familyId"/> is null.</summary>
    [Alias("StoreRefreshToken")]
    Task StoreRefreshTokenAsync(Guid userId, string token, Guid? familyId, DateTimeOffset expiresAt);

    /// <summary>
    /// Spends a refresh token and returns its user and family. A token presented a second time revokes its
    /// whole family; spent, revoked, expired or unknown tokens are UNAUTHORIZED.
    /// </summary>
    [Alias("SpendRefreshToken")]
    Task<(Guid UserId, Guid FamilyId)> SpendRefreshTokenAsync(string token);

    /// <summary>Revokes the family of a token (logout). Unknown tokens are ignored.</summary>
    [Alias("RevokeRefreshToken")]
    Task RevokeRefreshTokenAsync(string token);
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
