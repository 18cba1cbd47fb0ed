using Chat.Grains.Accounts;
using Chat.Grains.Errors;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;
using Chat.WebFrontend.RateLimits;
using Microsoft.AspNetCore.Identity;

namespace Chat.WebFrontend.Api;

public static class AuthEndpoints
{
    public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName);
    public sealed record LoginRequest(string? Username, string? Password);
    public sealed record RefreshRequest(string? RefreshToken);
    public sealed record AuthResponse(UserDto User, string AccessToken, string RefreshToken, int ExpiresIn);

    public static RouteGroupBuilder MapAuth(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth").AllowAnonymous();
        auth.MapPost("/register", RegisterAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/refresh", RefreshAsync);
        auth.MapPost("/logout", LogoutAsync);
        return api;
    }

    private static async Task<IResult> RegisterAsync(RegisterRequest body, IClusterClient cluster, IPasswordHasher<PasswordOwner> hasher, TokenService tokens)
    {
        Validate.That(CredentialRules.IsValidUsername(body.Username), "username must be 3-32 characters of letters, digits, '_', '.' or '-'.");
        Validate.That(CredentialRules.IsStrongPassword(body.Password), "password must be at least 8 characters with upper- and lower-case letters, a digit and a symbol.");
        var displayName = string.IsNullOrWhiteSpace(body.DisplayName) ? body.Username!
            : Validate.Name(body.DisplayName, "displayName", CredentialRules.MaxDisplayNameLength)!;

        var user = await Accounts(cluster).RegisterAsync(body.Username!, displayName, hasher.HashPassword(new PasswordOwner(), body.Password!));
        return Results.Created($"/api/v1/users/{user.Id}", await IssueAsync(cluster, tokens, user, familyId: null));
    }

    private static async Task<IResult> LoginAsync(LoginRequest body, IClusterClient cluster, IPasswordHasher<PasswordOwner> hasher, TokenService tokens,
        ChatRateLimiters rateLimiters, HttpContext http)
    {
        // A name no account can have is refused before anything keeps it (the failed-login limiter keys on it).
        Validate.That(CredentialRules.IsValidUsername(body.Username), "username must be 3-32 characters of letters, digits, '_', '.' or '-'.");
        Validate.That(body.Password is { Length: > 0 and <= CredentialRules.MaxPasswordLength }, $"password is required, at most {CredentialRules.MaxPasswordLength} characters.");
        var ip = http.Connection.RemoteIpAddress?.ToString();
        rateLimiters.CheckLogin(body.Username!, ip);
        var credentials = await Accounts(cluster).FindCredentialsAsync(body.Username!);
        // Verify against a real hash even for unknown users, so response time does not reveal which names exist.
        var result = hasher.VerifyHashedPassword(new PasswordOwner(), credentials?.PasswordHash ?? DecoyHash.Value, body.Password!);
        if (credentials is null || result == PasswordVerificationResult.Failed)
        {
            rateLimiters.RecordLoginFailure(body.Username!, ip);
            throw ChatException.Unauthorized("Wrong username or password.");
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await Accounts(cluster).UpdatePasswordHashAsync(credentials.User.Id, hasher.HashPassword(new PasswordOwner(), body.Password!));
        }

        return Results.Ok(await IssueAsync(cluster, tokens, credentials.User, familyId: null));
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest body, IClusterClient cluster, TokenService tokens)
    {
        Validate.That(!string.IsNullOrEmpty(body.RefreshToken), "refreshToken is required.");
        var (userId, familyId) = await Accounts(cluster).SpendRefreshTokenAsync(body.RefreshToken!);
        var user = await Accounts(cluster).GetProfileAsync(userId);
        return Results.Ok(await IssueAsync(cluster, tokens, user, familyId));
    }

    private static async Task<IResult> LogoutAsync(RefreshRequest body, IClusterClient cluster)
    {
        Validate.That(!string.IsNullOrEmpty(body.RefreshToken), "refreshToken is required.");
        await Accounts(cluster).RevokeRefreshTokenAsync(body.RefreshToken!);
        return Results.NoContent();
    }

    private static async Task<AuthResponse> IssueAsync(IClusterClient cluster, TokenService tokens, UserProfile user, Guid? familyId)
    {
        var refreshToken = TokenService.CreateRefreshToken();
        await Accounts(cluster).StoreRefreshTokenAsync(user.Id, refreshToken, familyId, tokens.RefreshTokenExpiry);
        return new AuthResponse(UserDto.From(user), tokens.CreateAccessToken(user), refreshToken, (int)tokens.AccessTokenLifetime.TotalSeconds);
    }

    private static IAccountsGrain Accounts(IClusterClient cluster) => cluster.GetGrain<IAccountsGrain>(0);

    private static class DecoyHash
    {
        public static readonly string Value = new PasswordHasher<PasswordOwner>().HashPassword(new PasswordOwner(), Guid.NewGuid().ToString());
    }
}
