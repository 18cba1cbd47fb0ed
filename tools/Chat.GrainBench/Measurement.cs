using System.Diagnostics;
using Chat.LoadTest;
using HdrHistogram;

namespace Chat.GrainBench;

/// <summary>One layer measured closed loop: each sender sends its next message as soon as the last one returned.</summary>
public sealed record Measurement(string Layer, int Senders, double PerSecond, double P50, double P99, double Max, double CpuSelf, double CpuPostgres)
{
    public static async Task<Measurement> RunAsync(string layer, int senders, TimeSpan duration, ProcessStats stats, Func<int, long, Task> send)
    {
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => send(sender, 0))); // warm: activations, JIT, prepared statements
        var latency = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        stats.Start();
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, senders).Select(async sender =>
        {
            long sent = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var before = Stopwatch.GetTimestamp();
                await send(sender, ++sent);
                latency.RecordValue(Stopwatch.GetTimestamp() - before);
            }

            return sent;
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = stats.Sample();
        double Ms(double percentile) => latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
        var measured = new Measurement(layer, senders, counts.Sum() / seconds, Ms(50), Ms(99), latency.GetMaxValue() * 1000.0 / Stopwatch.Frequency,
            cpu["chat"].CpuPercent, cpu["postgres"].CpuPercent);
        Console.WriteLine($"{layer}: {measured.PerSecond:F0} msgs/s");
        return measured;
    }

    public override string ToString() =>
        $"| {Layer} | {Senders} | {PerSecond:F0} | {P50:F1} / {P99:F1} / {Max:F1} | {CpuSelf:F0}, {CpuPostgres:F0} |";
}
