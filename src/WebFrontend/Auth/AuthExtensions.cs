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
        if (string.IsNullOrWhiteSpace(options.SigningKey) || Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
        {
            throw new InvalidOperationException(
                $"{AuthOptions.Section}:SigningKey must be set to a secret of at least 32 bytes (env Chat__Auth__SigningKey).");
        }

        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey));
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.AddSingleton(new TokenService(options, key, TimeProvider.System));
        builder.Services.AddSingleton<IPasswordHasher<PasswordOwner>, PasswordHasher<PasswordOwner>>();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = key,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
            };
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSocket requests or img tags: the hub and downloads take the token
                // from the query too.
                OnMessageReceived = context =>
                {
                    var path = context.Request.Path;
                    var queryAllowed = path.StartsWithSegments("/hubs") || (HttpMethods.IsGet(context.Request.Method)
                        && (path.StartsWithSegments("/api/v1/attachments") || path.Value!.EndsWith("/avatar", StringComparison.Ordinal)));
                    if (queryAllowed && context.Request.Query["access_token"] is [{ } token, ..])
                    {
                        context.Token = token;
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
}

/// <summary>The type parameter of <see cref="PasswordHasher{TUser}"/>, which never reads the user.</summary>
public sealed class PasswordOwner;
