using System.Diagnostics.Metrics;
using Chat.WebFrontend.Hosting;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// The real-time path's instruments on the <c>Chat.Frontend</c> meter: how long a message takes from its
/// conversation grain to this node's connections, the events the version-gap repair recovered from the log, and
/// stream subscriptions renewed. The feeds open here are observed by <see cref="FrontendMetrics"/>.
/// </summary>
public sealed class RealtimeMetrics
{
    private readonly Histogram<double> _delivery;
    private readonly Counter<long> _repaired;
    private readonly Counter<long> _resubscriptions;

    public RealtimeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(FrontendMetrics.MeterName);
        _delivery = meter.CreateHistogram("chat.message.delivery.duration", "s",
            "From a message's creation in its conversation grain (it is committed before it is published) to its hand-off to this node's connections.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FrontendMetrics.LatencyBuckets });
        _repaired = meter.CreateCounter<long>("chat.feed.gap.repaired", "{event}", "Events a feed read from the conversation log because the stream skipped or dropped them.");
        _resubscriptions = meter.CreateCounter<long>("chat.feed.resubscriptions", "{subscription}", "Stream subscriptions renewed (a stream presumed dead, or a gateway lost or regained).");
    }

    public void Delivered(DateTimeOffset createdAt) =>
        _delivery.Record(Math.Max(0, (DateTimeOffset.UtcNow - createdAt).TotalSeconds));

    public void Repaired() => _repaired.Add(1);

    public void Resubscribed() => _resubscriptions.Add(1);
}
