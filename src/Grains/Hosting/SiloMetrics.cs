using System.Diagnostics.Metrics;
using Chat.Grains.Storage;
using Npgsql;

namespace Chat.Grains.Hosting;

/// <summary>The silo's own instruments (meter <c>Chat.Silo</c>), beside Orleans' and Npgsql's.</summary>
public sealed class SiloMetrics
{
    public const string MeterName = "Chat.Silo";

    private readonly Counter<long> _committed;
    private readonly Counter<long> _notificationAttempts;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;

    public SiloMetrics(IMeterFactory meters, OutboxStore outbox)
    {
        var meter = meters.Create(MeterName);
        _committed = meter.CreateCounter<long>("chat.messages.committed", "{message}", "Messages committed to the log, system messages included.");
        _batchSize = meter.CreateHistogram("chat.messages.batch.size", "{message}",
            "New messages committed together in one round trip by the silo's group commit (MessageWriter).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
        _commitDuration = meter.CreateHistogram<double>("chat.messages.commit.duration", "s",
            "One group commit's round trip to PostgreSQL (MessageWriter), from opening the connection to the last result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        _notificationAttempts = meter.CreateCounter<long>("chat.notifications.attempts", "{attempt}",
            "Outbox rows handled by the notification dispatcher, by outcome: delivered, skipped (nobody offline), retry (the webhook failed; tried again later) or failed (attempts exhausted).");
        meter.CreateObservableGauge("chat.notifications.outbox.pending", () => Pending(outbox), "{notification}",
            "Outbox rows waiting for delivery or a retry, cluster-wide (every silo reports the same table).");
    }

    public void Committed(string contentType) => _committed.Add(1, new KeyValuePair<string, object?>("chat.content_type", contentType));

    public void MessagesBatched(int count) => _batchSize.Record(count);

    public void BatchCommitted(TimeSpan duration) => _commitDuration.Record(duration.TotalSeconds);

    public void NotificationAttempt(NotificationOutcome outcome) =>
        _notificationAttempts.Add(1, new KeyValuePair<string, object?>("chat.outcome", outcome.ToString().ToLowerInvariant()));

    private static IEnumerable<Measurement<long>> Pending(OutboxStore outbox)
    {
        long pending;
        try
        {
            pending = outbox.PendingCount();
        }
        catch (NpgsqlException)
        {
            yield break; // the database is down: no figure rather than a wrong one
        }

        yield return new Measurement<long>(pending);
    }
}

public enum NotificationOutcome
{
    Delivered,
    Skipped,
    Retry,
    Failed,
}
