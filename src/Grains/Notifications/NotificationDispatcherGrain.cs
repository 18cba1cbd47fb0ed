using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chat.Grains.Hosting;
using Chat.Grains.Presence;
using Chat.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Grains.Notifications;

/// <summary>
/// Works through the outbox in order. A row's recipients are checked against presence at delivery time (a member who
/// came back online meanwhile needs no push); the rest go to the webhook in one signed POST, retried with
/// exponential backoff until it answers 2xx or the attempts run out. The <c>Idempotency-Key</c> lets the receiver
/// drop a retry of a delivery whose answer was lost.
/// </summary>
[GrainType("notification-dispatcher")]
internal sealed partial class NotificationDispatcherGrain(
    OutboxStore outbox,
    MessageStore messages,
    AccountStore accounts,
    IHttpClientFactory httpClients,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    SiloMetrics metrics,
    ILogger<NotificationDispatcherGrain> logger) : Grain, INotificationDispatcherGrain, IRemindable
{
    public const string HttpClientName = "chat-webhook";
    private const int Batch = 50;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private IGrainTimer? _retryTimer;
    private DateTime _retryAt = DateTime.MaxValue;

    public async Task KickAsync() => await DispatchDueAsync();

    public async Task StartAsync()
    {
        if (options.Value.Enabled)
        {
            await this.RegisterOrUpdateReminder("retry", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => DispatchDueAsync();

    public async Task<int> DispatchDueAsync()
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        var handled = 0;
        List<OutboxStore.Entry> due;
        do
        {
            due = await outbox.DueAsync(Batch);
            foreach (var entry in due)
            {
                handled += await DispatchAsync(entry) ? 1 : 0;
            }
        }
        while (due.Count == Batch);

        return handled;
    }

    /// <summary>True when the row is finished; false when it waits for a retry.</summary>
    private async Task<bool> DispatchAsync(OutboxStore.Entry entry)
    {
        var live = await Task.WhenAll(entry.Recipients.Select(id => GrainFactory.GetGrain<IPresenceGrain>(id).HasLiveSessionAsync()));
        var offline = entry.Recipients.Where((_, i) => !live[i]).ToArray();
        var message = await messages.FindAsync(entry.ConversationId, entry.Seq);
        if (offline.Length == 0 || message is null || message.IsDeleted)
        {
            await outbox.FinishAsync(entry.Id, "skipped", null);
            metrics.NotificationAttempt(NotificationOutcome.Skipped);
            return true;
        }

        var sender = await accounts.FindProfileAsync(message.SenderId);
        var preview = options.Value.IncludePreview && message.Content is { } text ? text[..Math.Min(text.Length, 100)] : null;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = entry.Id, messageId = message.Id, conversationId = message.ConversationId, seq = message.Seq,
            senderId = message.SenderId, senderName = sender?.DisplayName, contentType = message.ContentType, preview,
            mentions = message.Mentions, recipients = offline, createdAt = message.CreatedAt,
        }, Json);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.WebhookUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("Idempotency-Key", $"chat-notification-{entry.Id}");
            request.Headers.Add("X-Chat-Signature", Sign(body, clock.GetUtcNow()));

            using var timeout = new CancellationTokenSource(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
            await outbox.FinishAsync(entry.Id, "delivered", null);
            metrics.NotificationAttempt(NotificationOutcome.Delivered);
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return await FailedAttemptAsync(entry, exception.Message);
        }
    }

    /// <summary>
    /// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t." + body)&gt;</c>: the timestamp is signed with the body, so
    /// a receiver that refuses old timestamps refuses replays. Each attempt is signed afresh.
    /// </summary>
    private string Sign(byte[] body, DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] message = [.. Encoding.UTF8.GetBytes($"{t}."), .. body];
        var signed = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Secret!), message);
        return $"t={t},v1={Convert.ToHexStringLower(signed)}";
    }

    private async Task<bool> FailedAttemptAsync(OutboxStore.Entry entry, string error)
    {
        var attempt = entry.Attempts + 1;
        if (attempt >= options.Value.MaxAttempts)
        {
            LogGaveUp(logger, entry.Id, attempt, error);
            await outbox.FinishAsync(entry.Id, "failed", error);
            metrics.NotificationAttempt(NotificationOutcome.Failed);
            return true;
        }

        var delay = TimeSpan.FromTicks(Math.Min(options.Value.MaxRetryDelay.Ticks, options.Value.RetryDelay.Ticks << Math.Min(attempt - 1, 30)));
        LogRetrying(logger, entry.Id, attempt, delay, error);
        await outbox.RetryLaterAsync(entry.Id, delay, error);
        metrics.NotificationAttempt(NotificationOutcome.Retry);
        ScheduleRetry(delay);
        return false;
    }

    /// <summary>A retry sooner than the one-minute reminder: one one-shot timer, for the earliest retry due.</summary>
    private void ScheduleRetry(TimeSpan delay)
    {
        var at = DateTime.UtcNow + delay;
        if (at < _retryAt)
        {
            _retryTimer?.Dispose();
            _retryAt = at;
            _retryTimer = this.RegisterGrainTimer(RetryDueAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>
    /// Dispatches what is due, then re-arms for the earliest retry still pending as the database sees it: a timer
    /// that fired a moment before a row's time (two clocks) must not leave that row to the one-minute reminder.
    /// </summary>
    private async Task RetryDueAsync(CancellationToken cancellation)
    {
        _retryAt = DateTime.MaxValue;
        await DispatchDueAsync();
        if (await outbox.NextRetryInAsync() is { } wait)
        {
            ScheduleRetry(wait + TimeSpan.FromMilliseconds(10));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {OutboxId}: attempt {Attempt} failed ({Error}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, long outboxId, int attempt, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {OutboxId}: giving up after {Attempt} attempts ({Error})")]
    private static partial void LogGaveUp(ILogger logger, long outboxId, int attempt, string error);
}
