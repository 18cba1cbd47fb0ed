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

    /// <summary>What registration and login need: the cluster, the hasher and its CPU limiter, the token issuer, the caller.</summary>
    public sealed record SignInServices(IClusterClient Cluster, IPasswordHasher<PasswordOwner> Hasher, TokenService Tokens,
        ChatRateLimiters RateLimiters, HttpContext Http)
    {
        public string? ClientAddress => Http.Connection.RemoteIpAddress?.ToString(); // X-Forwarded-For applied for known proxies

        public Task<T> HashAsync<T>(Func<IPasswordHasher<PasswordOwner>, T> hash) => RateLimiters.HashAsync(() => hash(Hasher), Http.RequestAborted);
    }

    private static async Task<IResult> RegisterAsync(RegisterRequest body, [AsParameters] SignInServices services)
    {
        Validate.That(CredentialRules.IsValidUsername(body.Username), "username must be 3-32 characters of letters, digits, '_', '.' or '-'.");
        Validate.That(CredentialRules.IsStrongPassword(body.Password), "password must be at least 8 characters with upper- and lower-case letters, a digit and a symbol.");
        var displayName = string.IsNullOrWhiteSpace(body.DisplayName) ? body.Username!
            : Validate.Name(body.DisplayName, "displayName", CredentialRules.MaxDisplayNameLength)!;
        services.RateLimiters.AcquireAuthAttempt(services.ClientAddress);

        var hash = await services.HashAsync(h => h.HashPassword(new PasswordOwner(), body.Password!));
        var user = await Accounts(services.Cluster).RegisterAsync(body.Username!, displayName, hash);
        return Results.Created($"/api/v1/users/{user.Id}", await StartSessionAsync(services.Cluster, services.Tokens, user));
    }

    /// <summary>
    /// Three limits before any hash is computed: sign-ins per client address, failures per username and address
    /// (this node), and the account's own backoff after failures from anywhere (shared by every node).
    /// </summary>
    private static async Task<IResult> LoginAsync(LoginRequest body, [AsParameters] SignInServices services)
    {
        // A name no account can have is refused before anything keeps it (the failed-login limiter keys on it).
        Validate.That(CredentialRules.IsValidUsername(body.Username), "username must be 3-32 characters of letters, digits, '_', '.' or '-'.");
        Validate.That(body.Password is { Length: > 0 and <= CredentialRules.MaxPasswordLength }, $"password is required, at most {CredentialRules.MaxPasswordLength} characters.");
        var (username, address, cluster) = (body.Username!, services.ClientAddress, services.Cluster);
        services.RateLimiters.AcquireAuthAttempt(address);
        services.RateLimiters.CheckLogin(username, address);
        var guard = cluster.GetGrain<ILoginGuardGrain>(username.ToLowerInvariant());
        if (await guard.WaitAsync() is { } wait)
        {
            throw new RateLimitExceededException(wait, "Too many failed logins for this account; try again later.");
        }

        var credentials = await Accounts(cluster).FindCredentialsAsync(username);
        // Verify against a real hash even for unknown users, so response time does not reveal which names exist.
        var result = await services.HashAsync(h => h.VerifyHashedPassword(new PasswordOwner(), credentials?.PasswordHash ?? DecoyHash.Of(h), body.Password!));
        if (credentials is null || result == PasswordVerificationResult.Failed)
        {
            services.RateLimiters.RecordLoginFailure(username, address);
            await guard.FailedAsync();
            throw ChatException.Unauthorized("Wrong username or password.");
        }

        await guard.SucceededAsync();
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = await services.HashAsync(h => h.HashPassword(new PasswordOwner(), body.Password!));
            await Accounts(cluster).UpdatePasswordHashAsync(credentials.User.Id, rehashed);
        }

        return Results.Ok(await StartSessionAsync(cluster, services.Tokens, credentials.User));
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest body, IClusterClient cluster, TokenService tokens)
    {
        Validate.That(!string.IsNullOrEmpty(body.RefreshToken), "refreshToken is required.");
        var next = TokenService.CreateRefreshToken();
        var (userId, sessionId) = await Accounts(cluster).RotateRefreshTokenAsync(body.RefreshToken!, next, tokens.RefreshTokenExpiry, tokens.MaxSessionAge);
        var user = await Accounts(cluster).GetProfileAsync(userId);
        return Results.Ok(Issue(tokens, user, sessionId, next));
    }

    private static async Task<IResult> LogoutAsync(RefreshRequest body, IClusterClient cluster)
    {
        Validate.That(!string.IsNullOrEmpty(body.RefreshToken), "refreshToken is required.");
        await Accounts(cluster).RevokeRefreshTokenAsync(body.RefreshToken!);
        return Results.NoContent();
    }

    private static async Task<AuthResponse> StartSessionAsync(IClusterClient cluster, TokenService tokens, UserProfile user)
    {
        var refreshToken = TokenService.CreateRefreshToken();
        var sessionId = await Accounts(cluster).StartSessionAsync(user.Id, refreshToken, tokens.RefreshTokenExpiry);
        return Issue(tokens, user, sessionId, refreshToken);
    }

    private static AuthResponse Issue(TokenService tokens, UserProfile user, Guid sessionId, string refreshToken) =>
        new(UserDto.From(user), tokens.CreateAccessToken(user, sessionId), refreshToken, (int)tokens.AccessTokenLifetime.TotalSeconds);

    private static IAccountsGrain Accounts(IClusterClient cluster) => cluster.GetGrain<IAccountsGrain>(0);

    /// <summary>A hash of the configured work factor, so an unknown name costs as much time as a known one.</summary>
    private static class DecoyHash
    {
        private static string? _value;

        public static string Of(IPasswordHasher<PasswordOwner> hasher) =>
            _value ??= hasher.HashPassword(new PasswordOwner(), Guid.NewGuid().ToString());
    }
}
