using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using HdrHistogram;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.LoadTest;

/// <summary>
/// Sends at a fixed rate whatever the answers (open loop: a send is due at start + k / rate, and goes then however many
/// are still unanswered), prints a progress line every second, then waits for the deliveries and checks them.
/// Latency counts from the send call, as the peer's load generator (../shared/peer/xload.js) counts it; how late the
/// tool made each call against its schedule is measured apart (<c>sendLateMs</c>, and each second's worst), so a tool
/// that falls behind shows instead of hiding in the figures.
/// </summary>
public sealed class Runner(LoadOptions options, Plan plan, LoadClient[] clients, DeliveryLedger ledger, ProcessStats processes)
{
    private readonly LongConcurrentHistogram _ack = new(1, TimeStamp.Seconds(120), 3);
    private readonly LongConcurrentHistogram _delivery = new(1, TimeStamp.Seconds(120), 3);
    private readonly LongConcurrentHistogram _late = new(1, TimeStamp.Seconds(120), 3); // due -> actually sent: the load tool's own lag
    private readonly SecondPeak _ackPeak = new(), _latePeak = new();
    private readonly ConcurrentDictionary<string, long> _slowest = new(); // clientMessageId -> latency of its last recipient so far
    private long _sent, _acked, _failed, _skipped, _inFlight, _delivered;
    private long _timedFrom = long.MaxValue; // sends made before this are checked but not timed (the warm-up)

    public async Task<Dictionary<string, object>> RunAsync()
    {
        foreach (var client in clients)
        {
            client.Delivered += (id, ticks) =>
            {
                Interlocked.Increment(ref _delivered);
                if (SendClock.SentAt(id) >= Volatile.Read(ref _timedFrom))
                {
                    _delivery.RecordValue(Math.Max(1, ticks));
                    _slowest.AddOrUpdate(id, ticks, (_, before) => Math.Max(before, ticks));
                }
            };
        }

        processes.Start();
        var clock = Stopwatch.StartNew();
        using var progress = new Timer(_ => Console.WriteLine(Progress(clock.Elapsed)), null, 1000, 1000);
        var interval = Stopwatch.Frequency / options.Rate;
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _timedFrom, start + (long)(options.Warm.TotalSeconds * Stopwatch.Frequency));
        var end = _timedFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        for (long k = 0; ; k++)
        {
            var due = start + (long)(k * interval);
            if (due >= end)
            {
                break;
            }

            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            }

            if (Interlocked.Read(ref _inFlight) >= options.MaxInFlight)
            {
                Interlocked.Increment(ref _skipped); // saturated: the offered rate is not being carried
                continue;
            }

            _ = SendAsync(k, due);
        }

        var sendSeconds = clock.Elapsed.TotalSeconds;
        var usage = processes.Report();
        await SettleAsync();
        var verdict = ledger.Verify(plan.Conversations.ToDictionary(c => c.Id, c => (IReadOnlyList<int>)c.Members));
        var lastMember = new LongHistogram(TimeStamp.Seconds(120), 3);
        foreach (var ticks in _slowest.Values)
        {
            lastMember.RecordValue(Math.Max(1, ticks));
        }

        Console.WriteLine(Progress(clock.Elapsed));
        return new Dictionary<string, object>
        {
            ["scenario"] = options.Scenario,
            ["users"] = options.Users,
            ["offeredRate"] = options.Rate,
            ["seconds"] = Math.Round(sendSeconds, 1),
            ["warmSeconds"] = options.Warm.TotalSeconds,
            ["sent"] = _sent,
            ["acknowledged"] = _acked,
            ["failed"] = _failed,
            ["skippedSaturated"] = _skipped,
            ["acknowledgedPerSecond"] = Math.Round(_acked / sendSeconds),
            ["deliveries"] = _delivered,
            ["exactlyOnceInOrder"] = verdict,
            ["ackMs"] = Percentiles(_ack),
            ["deliveryMs"] = Percentiles(_delivery),
            ["lastMemberMs"] = Percentiles(lastMember),
            ["sendLateMs"] = Percentiles(_late),
            ["processes"] = usage,
        };
    }

    private async Task SendAsync(long k, long due)
    {
        var (sender, conversation) = plan.NextSend(k);
        var sentAt = Stopwatch.GetTimestamp();
        var timed = sentAt >= _timedFrom;
        var late = sentAt - due;
        if (timed)
        {
            _late.RecordValue(Math.Max(1, late));
            _latePeak.Record(late);
        }

        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var ack = await clients[sender].Connection.InvokeAsync<JsonElement>("SendMessage",
                new { conversationId = conversation, clientMessageId = SendClock.Id(sentAt, k), content = $"load message {k}" });
            if (timed)
            {
                var latency = Stopwatch.GetTimestamp() - sentAt;
                _ack.RecordValue(Math.Max(1, latency));
                _ackPeak.Record(latency);
            }

            ledger.Acknowledged(conversation, ack.GetProperty("seq").GetInt64());
            Interlocked.Increment(ref _acked);
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Waits for the answers still out, then for deliveries to stop arriving (at most 30 s).</summary>
    private async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long before = -1;
        while (DateTime.UtcNow < deadline && (Interlocked.Read(ref _inFlight) > 0 || Interlocked.Read(ref _delivered) != before))
        {
            before = Interlocked.Read(ref _delivered);
            await Task.Delay(1000);
        }
    }

    private string Progress(TimeSpan elapsed) =>
        $"{elapsed.TotalSeconds,5:F0}s sent {_sent} acked {_acked} failed {_failed} in flight {Interlocked.Read(ref _inFlight)} skipped {_skipped} " +
        $"delivered {_delivered}  ack p50/p99 {Ms(_ack, 50):F1}/{Ms(_ack, 99):F1} ms  delivery p50/p99 {Ms(_delivery, 50):F1}/{Ms(_delivery, 99):F1} ms  " +
        $"this second: ack max {Ms(_ackPeak.Take()):F1} ms, sent up to {Ms(_latePeak.Take()):F1} ms late";

    private static object Percentiles(HistogramBase h) => new
    {
        p50 = Math.Round(Ms(h, 50), 2), p95 = Math.Round(Ms(h, 95), 2), p99 = Math.Round(Ms(h, 99), 2), max = Math.Round(Ms(h, 100), 2), count = h.TotalCount,
    };

    private static double Ms(HistogramBase h, double percentile) => h.TotalCount == 0 ? 0 : Ms(h.GetValueAtPercentile(percentile));

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
