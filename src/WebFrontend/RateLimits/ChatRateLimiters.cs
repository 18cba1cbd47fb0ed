using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.RateLimits;

/// <summary>
/// The per-user send limit shared by REST and the hub, and the failed-login limit per username and IP, both with
/// System.Threading.RateLimiting's partitioned limiters (the general request limit is ASP.NET Core's middleware).
/// </summary>
public sealed class ChatRateLimiters : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _sends;
    private readonly PartitionedRateLimiter<string> _loginFailures;
    private readonly PartitionedRateLimiter<Guid> _hubCalls;
    private readonly int _sendBurst;

    public ChatRateLimiters(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _sendBurst = o.SendBurst;
        _sends = PartitionedRateLimiter.Create<Guid, Guid>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.SendBurst,
            TokensPerPeriod = o.SendsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));
        _hubCalls = PartitionedRateLimiter.Create<Guid, Guid>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.RequestBurst,
            TokensPerPeriod = o.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));
        _loginFailures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.LoginFailures,
            Window = o.LoginWindow,
            QueueLimit = 0,
        }));
    }

    /// <summary>
    /// Takes <paramref name="messages"/> sends from the user's bucket, all or none, or refuses with the time until
    /// they are there. Every route that creates messages draws on it: sends, scheduled sends, one per forward target.
    /// </summary>
    public void AcquireSend(Guid userId, int messages = 1)
    {
        if (messages > _sendBurst)
        {
            throw Grains.Errors.ChatException.Validation($"At most {_sendBurst} messages can be created at once.");
        }

        using var lease = _sends.AttemptAcquire(userId, messages);
        if (!lease.IsAcquired)
        {
            throw Refused(lease, "Too many messages; slow down.");
        }
    }

    /// <summary>The request limit for hub calls, which the HTTP middleware never sees (they share one WebSocket).</summary>
    public void AcquireHubCall(Guid userId)
    {
        using var lease = _hubCalls.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            throw Refused(lease, "Too many requests; slow down.");
        }
    }

    /// <summary>Refuses a login for a username and IP that failed too often recently, whatever the password.</summary>
    public void CheckLogin(string username, string? ip)
    {
        using var lease = _loginFailures.AttemptAcquire(LoginKey(username, ip), permitCount: 0);
        if (!lease.IsAcquired)
        {
            throw Refused(lease, "Too many failed logins; try again later.");
        }
    }

    public void RecordLoginFailure(string username, string? ip)
    {
        using var _ = _loginFailures.AttemptAcquire(LoginKey(username, ip));
    }

    public void Dispose()
    {
        _sends.Dispose();
        _hubCalls.Dispose();
        _loginFailures.Dispose();
    }

    private static string LoginKey(string username, string? ip) => $"{username.ToLowerInvariant()}|{ip}";

    private static RateLimitExceededException Refused(RateLimitLease lease, string message) =>
        new(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1), message);
}
