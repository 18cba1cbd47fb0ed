namespace Chat.Grains.Notifications;

/// <summary>
/// Delivers the notification outbox to the configured webhook (key: 0, one per cluster): for each new message, the
/// recipients with no live session, with retries and backoff. A push service (FCM, APNs, Web Push) attaches there.
/// </summary>
[Alias("chat.INotificationDispatcherGrain")]
public interface INotificationDispatcherGrain : IGrainWithIntegerKey
{
    /// <summary>New rows are waiting: dispatch soon.</summary>
    [Alias("Kick"), Orleans.Concurrency.OneWay]
    Task KickAsync();

    /// <summary>Registers the backstop reminder that retries due rows even if no kick comes; idempotent.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Dispatches every row that is due now; returns how many were handled (delivered, skipped or failed).</summary>
    [Alias("DispatchDue")]
    Task<int> DispatchDueAsync();
}
