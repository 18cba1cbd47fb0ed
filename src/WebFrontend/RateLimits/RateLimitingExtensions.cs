using System.Security.Claims;
using System.Threading.RateLimiting;
using Chat.Grains.Errors;
using Chat.WebFrontend.Errors;

namespace Chat.WebFrontend.RateLimits;

public static class RateLimitingExtensions
{
    /// <summary>
    /// ASP.NET Core's rate limiter for every request (per user, or per IP before sign-in) and the send and login
    /// limiters; refusals are 429 with <c>Retry-After</c> and the API.md error body.
    /// </summary>
    public static WebApplicationBuilder AddChatRateLimiting(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(RateLimitOptions.Section);
        builder.Services.AddOptions<RateLimitOptions>().Bind(section);
        builder.Services.AddSingleton<ChatRateLimiters>();
        var options = section.Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RequestBurst,
                    TokensPerPeriod = options.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = new RateLimitExceededException(retryAfter, "").RetryAfterSeconds.ToString();
                await context.HttpContext.Response.WriteAsJsonAsync(
                    ApiError.Of(ErrorCodes.RateLimitExceeded, "Too many requests; slow down."), cancellationToken);
            };
        });
        return builder;
    }

    private static string PartitionKey(HttpContext http) =>
        http.User.FindFirstValue("sub") is { } userId ? $"user:{userId}" : $"ip:{http.Connection.RemoteIpAddress}";
}
