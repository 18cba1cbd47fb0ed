using System.Security.Claims;
using System.Security.Cryptography;
using Chat.Grains.Accounts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chat.WebFrontend.Auth;

/// <summary>Issues short-lived access tokens (JWT) and opaque refresh tokens.</summary>
public sealed class TokenService(AuthOptions options, SymmetricSecurityKey key, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials = new(key, SecurityAlgorithms.HmacSha256);

    public TimeSpan AccessTokenLifetime => options.AccessTokenLifetime;

    public DateTimeOffset RefreshTokenExpiry => clock.GetUtcNow() + options.RefreshTokenLifetime;

    public TimeSpan MaxSessionAge => options.MaxSessionAge;

    /// <summary>An access token of one session: <c>sid</c> is its refresh-token family, so revoking it can end its connections.</summary>
    public string CreateAccessToken(UserProfile user, Guid sessionId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", user.Id.ToString()), new Claim("name", user.Username), new Claim("sid", sessionId.ToString())]),
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.AccessTokenLifetime,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>A ticket that opens one download path for this user, for <see cref="AuthOptions.DownloadTicketLifetime"/>.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) CreateDownloadTicket(Guid userId, string path)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now + options.DownloadTicketLifetime;
        var ticket = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim(DownloadTickets.PathClaim, path)]),
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = _credentials,
        });
        return (ticket, expiresAt);
    }

    /// <summary>256 random bits, base64url: unguessable, and stored server-side only as a hash.</summary>
    public static string CreateRefreshToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
