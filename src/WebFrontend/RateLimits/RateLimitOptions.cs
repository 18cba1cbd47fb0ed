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
}
