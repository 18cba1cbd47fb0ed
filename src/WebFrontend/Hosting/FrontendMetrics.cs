using System.Diagnostics;
using System.Diagnostics.Metrics;
using Chat.Grains.Errors;
using Chat.WebFrontend.RateLimits;
using Chat.WebFrontend.Realtime;
using OpenTelemetry.Metrics;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// The frontend's own instruments (meter <c>Chat.Frontend</c>): how long a send takes to be acknowledged, sends
/// refused by reason, attachments stored, and the connections this node holds (the real-time path's are in
/// <see cref="RealtimeMetrics"/>). Exported with ASP.NET Core's, Kestrel's, SignalR's,
/// Orleans' and the runtime's meters as Prometheus text at <c>GET /metrics</c>.
/// </summary>
public sealed class FrontendMetrics
{
    public const string MeterName = "Chat.Frontend";

    /// <summary>Bucket bounds, in seconds, of the latency histograms: fine below 10 ms, where a healthy node is.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _ack;
    private readonly Counter<long> _refused;
    private readonly Histogram<long> _uploads;

    public FrontendMetrics(IMeterFactory meters, LocalConnections connections, ConversationFeeds feeds)
    {
        var meter = meters.Create(MeterName);
        _ack = meter.CreateHistogram("chat.send.ack.duration", "s", "From a send's arrival to its acknowledgement (the message committed).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _refused = meter.CreateCounter<long>("chat.sends.refused", "{send}", "Sends refused, by the API.md error code.");
        _uploads = meter.CreateHistogram("chat.upload.size", "By", "Attachments stored, by size (the count is the number of uploads), single or chunked.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1 << 10, 1 << 14, 1 << 17, 1 << 20, 1 << 22, 1 << 24, 1 << 26, 1 << 28, 1L << 30] });
        meter.CreateObservableUpDownCounter("chat.connections", () => connections.Count, "{connection}", "Hub connections open on this frontend.");
        meter.CreateObservableUpDownCounter("chat.feeds", () => feeds.Count, "{feed}", "Conversations this frontend is subscribed to (one feed each, shared by its connections in it).");
    }

    /// <summary>An attachment was stored: its blob is committed and its record written.</summary>
    public void Uploaded(long bytes, bool chunked) =>
        _uploads.Record(bytes, new KeyValuePair<string, object?>("chat.upload.kind", chunked ? "chunked" : "single"));

    /// <summary>Runs a send, recording its acknowledgement time or its refusal.</summary>
    public async Task<T> SendAsync<T>(Func<Task<T>> send)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await send();
            _ack.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return result;
        }
        catch (Exception e) when (e is ChatException or RateLimitExceededException)
        {
            _refused.Add(1, new KeyValuePair<string, object?>("chat.reason", e is ChatException chat ? chat.Code : ErrorCodes.RateLimitExceeded));
            throw;
        }
    }
}

public static class FrontendTelemetry
{
    public static WebApplicationBuilder AddChatMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FrontendMetrics>();
        builder.Services.AddSingleton<RealtimeMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(FrontendMetrics.MeterName, "Microsoft.AspNetCore.*", "Microsoft.Orleans", "System.Net.Http")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the figures of its moment
        return builder;
    }
}
