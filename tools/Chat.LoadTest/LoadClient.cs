using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.LoadTest;

/// <summary>
/// One hub connection of the load: records every message it receives in the ledger and its latency from the
/// moment the send was due (open loop: a late send counts its lateness), and marks receipts when asked.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    public enum Receipts
    {
        None,
        DeliveredAndRead,
    }

    public LoadClient(int index, Guid userId, HubConnection connection, DeliveryLedger ledger, Receipts receipts)
    {
        (Index, Connection) = (index, connection);
        connection.On<JsonElement>("messageReceived", message =>
        {
            var now = Stopwatch.GetTimestamp();
            var conversation = message.GetProperty("conversationId").GetGuid();
            var seq = message.GetProperty("seq").GetInt64();
            ledger.Received(index, conversation, seq);
            // Latency is the recipients' (the sender's own copy arrives too, and is checked, but not timed).
            var clientMessageId = message.GetProperty("clientMessageId").GetString();
            if (message.GetProperty("senderId").GetGuid() != userId && SendClock.SentAt(clientMessageId) is { } sent)
            {
                Delivered?.Invoke(clientMessageId!, now - sent);
            }

            if (receipts == Receipts.DeliveredAndRead)
            {
                _ = connection.SendAsync("MarkDelivered", conversation, seq);
                _ = connection.SendAsync("MarkRead", conversation, seq);
            }
        });
    }

    public int Index { get; }

    public HubConnection Connection { get; }

    /// <summary>Each message received from someone else: its clientMessageId and its latency in Stopwatch ticks.</summary>
    public event Action<string, long>? Delivered;

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>
/// When each message was sent, carried in its clientMessageId (<c>t{ticks}-{n}</c>): every connection of this process
/// reads the same Stopwatch, so no table of send times is needed.
/// </summary>
public static class SendClock
{
    public static string Id(long sentTicks, long n) => $"t{sentTicks}-{n}";

    public static long? SentAt(string? clientMessageId) =>
        clientMessageId is ['t', ..] && clientMessageId.IndexOf('-') is > 1 and var dash && long.TryParse(clientMessageId.AsSpan(1, dash - 1), out var ticks) ? ticks : null;
}
