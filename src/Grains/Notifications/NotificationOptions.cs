namespace Chat.Grains.Notifications;

/// <summary>The offline-notification webhook, under <c>Chat:Notifications</c>. Without a URL nothing is recorded or sent.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Chat:Notifications";

    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// The key of <c>X-Chat-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>, at least 32
    /// bytes. Required with a webhook: an unsigned push endpoint would take notifications from anyone.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Whether the first characters of the text go to the push service (a privacy choice).</summary>
    public bool IncludePreview { get; set; } = true;

    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles with each attempt, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => WebhookUrl is not null;

    /// <summary>Refuses to start a silo whose webhook would go out unsigned, or signed with a guessable key.</summary>
    public static void RequireSigned(NotificationOptions? options)
    {
        if (options is { Enabled: true } && System.Text.Encoding.UTF8.GetByteCount(options.Secret ?? "") < 32)
        {
            throw new InvalidOperationException(
                $"{Section}:Secret must be set to a secret of at least 32 bytes when {Section}:WebhookUrl is set (env Chat__Notifications__Secret).");
        }
    }
}
