using System.Diagnostics;
using System.Diagnostics.Metrics;
using Chat.Grains.Errors;
using Chat.WebFrontend.RateLimits;
using Chat.WebFrontend.Realtime;
using OpenTelemetry.Metrics;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// The frontend's own instruments (meter <c>Chat.Frontend</c>): how long a send takes to be acknowledged, sends
/// refused by reason, and the connections this node holds. Exported with ASP.NET Core's, Kestrel's, SignalR's,
/// Orleans' and the runtime's meters as Prometheus text at <c>GET /metrics</c>.
/// </summary>
public sealed class FrontendMetrics
{
    public const string MeterName = "Chat.Frontend";

    private readonly Histogram<double> _ack;
    private readonly Counter<long> _refused;

    public FrontendMetrics(IMeterFactory meters, LocalConnections connections)
    {
        var meter = meters.Create(MeterName);
        _ack = meter.CreateHistogram("chat.send.ack.duration", "s", "From a send's arrival to its acknowledgement (the message committed).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _refused = meter.CreateCounter<long>("chat.sends.refused", "{send}", "Sends refused, by the API.md error code.");
        meter.CreateObservableUpDownCounter("chat.connections", () => connections.Count, "{connection}", "Hub connections open on this frontend.");
    }

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
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(FrontendMetrics.MeterName, "Microsoft.AspNetCore.*", "Microsoft.Orleans", "System.Net.Http")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }
}
