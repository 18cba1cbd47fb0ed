using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.RateLimits;

/// <summary>
/// The per-user send limit shared by REST and the hub, and the failed-login limit per username and IP, both with
/// System.Threading.RateLimiting's partitioned limiters (the general request limit is ASP.NET Core's middleware).
/// </summary>
public sealed class ChatRateLimiters : IDisposable
{
    /// <summary>
    /// How many partitioned limiters share the users: the library's takes one lock for every acquire of any of its
    /// partitions, and a frontend taking tens of thousands of hub calls a second spent a fifth of its CPU waiting on it.
    /// </summary>
    private const int Stripes = 16;

    private readonly PartitionedRateLimiter<Guid>[] _sends;
    private readonly PartitionedRateLimiter<string> _loginFailures;
    private readonly PartitionedRateLimiter<Guid>[] _hubCalls;
    private readonly int _sendBurst;
    private readonly PartitionedRateLimiter<string> _authAttempts;
    private readonly ConcurrencyLimiter _hashing;

    public ChatRateLimiters(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _sendBurst = o.SendBurst;
        _sends = PerUser(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.SendBurst,
            TokensPerPeriod = o.SendsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });
        _hubCalls = PerUser(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.RequestBurst,
            TokensPerPeriod = o.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });
        _loginFailures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.LoginFailures,
            Window = o.LoginWindow,
            QueueLimit = 0,
        }));
        _authAttempts = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.AuthAttemptBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, o.AuthAttemptsPerMinute),
            QueueLimit = 0,
        }));
        _hashing = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.HashConcurrency > 0 ? o.HashConcurrency : Environment.ProcessorCount,
            QueueLimit = o.HashQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>One registration or login from a client address (an IP is at most 45 characters: the key is bounded).</summary>
    public void AcquireAuthAttempt(string? address)
    {
        using var lease = _authAttempts.AttemptAcquire(address ?? "");
        if (!lease.IsAcquired)
        {
            throw Refused(lease, "Too many sign-in attempts from this address; try again later.");
        }
    }

    /// <summary>
    /// Runs a password hash (or verification) when a core is free: PBKDF2 at full cost is ~165 ms of CPU, so sign-in
    /// storms from many addresses queue here instead of starving message delivery; past the queue they get 503.
    /// </summary>
    public async Task<T> HashAsync<T>(Func<T> hash, CancellationToken cancellationToken)
    {
        using var lease = await _hashing.AcquireAsync(1, cancellationToken);
        return lease.IsAcquired
            ? hash()
            : throw new Grains.Errors.ChatException(Grains.Errors.ErrorCodes.ServiceUnavailable, "Too many sign-ins at once; retry shortly.");
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

        using var lease = Of(_sends, userId).AttemptAcquire(userId, messages);
        if (!lease.IsAcquired)
        {
            throw Refused(lease, "Too many messages; slow down.");
        }
    }

    /// <summary>The request limit for hub calls, which the HTTP middleware never sees (they share one WebSocket).</summary>
    public void AcquireHubCall(Guid userId)
    {
        using var lease = Of(_hubCalls, userId).AttemptAcquire(userId);
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
        Array.ForEach(_sends, limiter => limiter.Dispose());
        Array.ForEach(_hubCalls, limiter => limiter.Dispose());
        _loginFailures.Dispose();
        _authAttempts.Dispose();
        _hashing.Dispose();
    }

    /// <summary>A token bucket per user, spread over <see cref="Stripes"/> partitioned limiters.</summary>
    private static PartitionedRateLimiter<Guid>[] PerUser(TokenBucketRateLimiterOptions bucket) =>
        [.. Enumerable.Range(0, Stripes).Select(_ => PartitionedRateLimiter.Create<Guid, Guid>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ => bucket)))];

    private static PartitionedRateLimiter<Guid> Of(PartitionedRateLimiter<Guid>[] stripes, Guid userId) =>
        stripes[(uint)userId.GetHashCode() % Stripes];

    private static string LoginKey(string username, string? ip) => $"{username.ToLowerInvariant()}|{ip}";

    private static RateLimitExceededException Refused(RateLimitLease lease, string message) =>
        new(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1), message);
}
