using System.Diagnostics.Metrics;

namespace Chat.Grains.Hosting;

/// <summary>The silo's own instruments (meter <c>Chat.Silo</c>), beside Orleans' and Npgsql's.</summary>
public sealed class SiloMetrics
{
    public const string MeterName = "Chat.Silo";

    private readonly Counter<long> _committed;

    public SiloMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _committed = meter.CreateCounter<long>("chat.messages.committed", "{message}", "Messages committed to the log, system messages included.");
    }

    public void Committed(string contentType) => _committed.Add(1, new KeyValuePair<string, object?>("chat.content_type", contentType));
}
