using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Chaos;

/// <summary>How long the fleet took to work again after a fault, and whether it settled on what is stored.</summary>
internal static class Recovery
{
    /// <summary>
    /// The time until a message sent through a connected client reaches a member at home on another frontend, both
    /// ways round; null when that never happens within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<TimeSpan?> MeasureAsync(IReadOnlyList<ChaosClient> clients, IReadOnlyDictionary<Guid, List<Guid>> membersOf, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var byUser = clients.ToDictionary(c => c.UserId);
        var directs = membersOf.Values.Where(m => m.Count == 2 && byUser[m[0]].Home != byUser[m[1]].Home).ToList();
        var forth = directs.Select(m => (Conversation: membersOf.First(c => c.Value == m).Key, From: byUser[m[0]], To: byUser[m[1]])).ToList();
        List<(Guid Conversation, ChaosClient From, ChaosClient To)> pairs = [.. forth, .. forth.Select(p => (p.Conversation, p.To, p.From))];
        var reached = new HashSet<(int, int)>();
        while (watch.Elapsed < timeout)
        {
            foreach (var (conversation, from, to) in pairs.OrderBy(_ => Random.Shared.Next()).Take(4))
            {
                if (from.Hub is { } hub && to.Hub is not null && await CanaryAsync(hub, to, conversation))
                {
                    reached.Add((from.Home, to.Home));
                }
            }

            if (reached.Count == pairs.Select(p => (p.From.Home, p.To.Home)).Distinct().Count())
            {
                return watch.Elapsed;
            }

            await Task.Delay(250);
        }

        return null;
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) until every connected client has every conversation it belongs to at
    /// the stored version, then compares each copy with PostgreSQL: how many clients differ, and the first difference.
    /// </summary>
    public static async Task<(int Divergent, string Detail)> SettleAndCompareAsync(IReadOnlyList<ChaosClient> clients, string connectionString, TimeSpan timeout)
    {
        var ids = clients.SelectMany(c => c.Conversations.Keys).Distinct().ToList();
        var watch = Stopwatch.StartNew();
        Dictionary<Guid, Snapshot.Conversation> stored;
        List<(ChaosClient Client, string? Difference)> differ;
        do
        {
            stored = await Snapshot.ReadAsync(connectionString, ids);
            differ = [.. clients.Select(c => (Client: c, Difference: Difference(c, stored))).Where(d => d.Difference is not null)];
            if (differ.Count == 0)
            {
                return (0, "");
            }

            await Task.Delay(500);
        }
        while (watch.Elapsed < timeout);

        return (differ.Count, $" first difference: user {differ[0].Client.UserId}: {differ[0].Difference}");
    }

    private static string? Difference(ChaosClient client, Dictionary<Guid, Snapshot.Conversation> stored)
    {
        if (client.Hub is null)
        {
            return "not connected";
        }

        var versions = client.Versions();
        foreach (var (id, conversation) in stored.Where(s => s.Value.Members.ContainsKey(client.UserId)))
        {
            if (!client.Conversations.TryGetValue(id, out var copy) || !versions.ContainsKey(id))
            {
                return $"{id}: a member, but the client does not know";
            }

            if (client.CompareLocked(id, conversation) is { } difference)
            {
                return $"{id} at version {versions[id]} (stored {conversation.Version}): {difference}";
            }
        }

        return null;
    }

    private static async Task<bool> CanaryAsync(HubConnection hub, ChaosClient receiver, Guid conversation)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var ack = await hub.InvokeAsync<JsonElement>("SendMessage",
                new { conversationId = conversation, clientMessageId = Guid.NewGuid().ToString("N"), content = "canary" }, timeout.Token);
            var seq = ack.GetProperty("seq").GetInt64();
            while (!timeout.IsCancellationRequested)
            {
                if (receiver.LastSeqOf(conversation) >= seq)
                {
                    return true;
                }

                await Task.Delay(50);
            }

            return false;
        }
        catch (Exception)
        {
            return false; // not yet: the fault is still being felt
        }
    }
}
