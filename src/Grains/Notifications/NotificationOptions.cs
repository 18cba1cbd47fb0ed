namespace Chat.Grains.Notifications;

/// <summary>The offline-notification webhook, under <c>Chat:Notifications</c>. Without a URL nothing is recorded or sent.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Chat:Notifications";

    public Uri? WebhookUrl { get; set; }

    /// <summary>When set, each request carries <c>X-Chat-Signature: sha256=HMAC(secret, body)</c>.</summary>
    public string? Secret { get; set; }

    /// <summary>Whether the first characters of the text go to the push service (a privacy choice).</summary>
    public bool IncludePreview { get; set; } = true;

    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles with each attempt, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => WebhookUrl is not null;
}
