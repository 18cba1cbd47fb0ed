namespace Chat.WebFrontend.Auth;

/// <summary>Token settings, bound from <c>Chat:Auth</c>. Every frontend of a deployment shares the signing key.</summary>
public sealed class AuthOptions
{
    public const string Section = "Chat:Auth";

    /// <summary>HMAC-SHA256 key, at least 32 bytes. Required: the frontend refuses to start without it.</summary>
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "chat";
    public string Audience { get; set; } = "chat";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}
