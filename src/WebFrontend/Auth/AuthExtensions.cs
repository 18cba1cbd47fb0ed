using System.Text;
using Chat.WebFrontend.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Chat.WebFrontend.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// JWT bearer auth with the key from configuration. A start without a key refuses to run:
    /// a made-up key would sign tokens no other frontend accepts, and one that ships in source signs for anyone.
    /// </summary>
    public static WebApplicationBuilder AddChatAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var key = SigningKey(options.SigningKey, options.SigningKeyId, "SigningKey")
            ?? throw new InvalidOperationException(
                $"{AuthOptions.Section}:SigningKey must be set to a secret of at least 32 bytes (env Chat__Auth__SigningKey).");
        var previous = SigningKey(options.PreviousSigningKey, options.PreviousSigningKeyId ?? "previous", "PreviousSigningKey");
        SecurityKey[] validKeys = previous is null ? [key] : [key, previous];

        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.AddSingleton(new TokenService(options, key, TimeProvider.System));
        builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = options.PasswordHashIterations);
        builder.Services.AddSingleton<IPasswordHasher<PasswordOwner>, PasswordHasher<PasswordOwner>>();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKeys = validKeys,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256], // never the HS384/HS512 (or "none") a token may name
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
            };
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSocket requests: the hub takes the access token from the query.
                // img tags and download links cannot either: they carry a download ticket (DownloadTickets).
                OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is [{ } token, ..])
                    {
                        context.Token = token;
                    }

                    DownloadTickets.ReadFromQuery(context);
                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    DownloadTickets.RequireRightUse(context);
                    if (context.Request.Path.StartsWithSegments("/hubs") && context.Principal is { } principal)
                    {
                        context.Principal = UserIdentity.Lean(principal, context.Scheme.Name);
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await context.Response.WriteAsJsonAsync(ApiError.Of("UNAUTHORIZED", "A valid access token is required."));
                },
            };
        });
        return builder;
    }

    /// <summary>A configured HMAC key with its id, or null when unset; a key shorter than 32 bytes refuses to start.</summary>
    private static SymmetricSecurityKey? SigningKey(string? secret, string keyId, string setting)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        return Encoding.UTF8.GetByteCount(secret) >= 32
            ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = keyId }
            : throw new InvalidOperationException($"{AuthOptions.Section}:{setting} must be at least 32 bytes.");
    }
}

/// <summary>The type parameter of <see cref="PasswordHasher{TUser}"/>, which never reads the user.</summary>
public sealed class PasswordOwner;
