namespace Chat.WebFrontend.RateLimits;

/// <summary>The rate limits of API.md, under <c>Chat:RateLimits</c>. Each frontend node counts on its own.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Chat:RateLimits";

    /// <summary>Messages per user per second, sustained, over REST and the hub together.</summary>
    public int SendsPerSecond { get; set; } = 10;

    /// <summary>Messages a user may send at once before the per-second rate applies.</summary>
    public int SendBurst { get; set; } = 20;

    /// <summary>Requests of any kind per user (or per IP when anonymous) per second.</summary>
    public int RequestsPerSecond { get; set; } = 100;

    public int RequestBurst { get; set; } = 200;

    /// <summary>Failed logins allowed per username and client IP within <see cref="LoginWindow"/>.</summary>
    public int LoginFailures { get; set; } = 5;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Registrations and logins per client address per minute, and the burst allowed at once (a whole office signing
    /// in behind one NAT address in the morning). Behind a proxy the address comes from <c>X-Forwarded-For</c>,
    /// trusted only from <c>Chat:Network:KnownProxies</c>.
    /// </summary>
    public int AuthAttemptsPerMinute { get; set; } = 60;

    public int AuthAttemptBurst { get; set; } = 60;

    /// <summary>Password hashes computed at once on this node (0: one per core); more wait in a queue of <see cref="HashQueue"/>.</summary>
    public int HashConcurrency { get; set; }

    /// <summary>Sign-ins waiting for a hash beyond which more are refused with 503 and <c>Retry-After</c>.</summary>
    public int HashQueue { get; set; } = 100;
}
