using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Chaos;

/// <summary>
/// What the fleet does at a steady rate: send, edit, delete, react, mark read, and in groups remove and re-add
/// members. Every acknowledged send is recorded, to be found in the database afterwards.
/// </summary>
internal sealed class Workload(IReadOnlyList<ChaosClient> clients, IReadOnlyDictionary<Guid, Guid> owners, int rate)
{
    private static readonly string[] Emoji = ["👍", "🎉", "❤"];
    private readonly ConcurrentBag<(Guid Conversation, long Seq, string ClientMessageId)> _acked = [];
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<(Guid Conversation, long Seq)>> _sentBy = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentBag<Guid>> _removed = new();
    private int _operations;
    private int _failures;

    public IReadOnlyCollection<(Guid Conversation, long Seq, string ClientMessageId)> Acked => _acked;
    public int Operations => _operations;
    public int Failures => _failures;

    /// <summary>Runs until cancelled: <c>rate</c> operations a second, each on a random connected client.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate));
        var inFlight = new List<Task>();
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count < rate * 10)
                {
                    var client = clients[random.Next(clients.Count)];
                    inFlight.Add(OneAsync(client, random.Next(100)));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(inFlight);
    }

    private async Task OneAsync(ChaosClient client, int dice)
    {
        if (client.Hub is not { } hub)
        {
            return;
        }

        var member = client.Versions().Keys.ToList();
        if (member.Count == 0)
        {
            return;
        }

        var conversation = member[Random.Shared.Next(member.Count)];
        Interlocked.Increment(ref _operations);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var mine = _sentBy.GetOrAdd(client.UserId, _ => new());
            var lastSeq = LastSeq(client, conversation);
            switch (dice)
            {
                case < 50:
                    var clientMessageId = Guid.NewGuid().ToString("N");
                    var ack = await hub.InvokeAsync<JsonElement>("SendMessage",
                        new { conversationId = conversation, clientMessageId, content = $"m {clientMessageId[..8]}" }, timeout.Token);
                    var seq = ack.GetProperty("seq").GetInt64();
                    _acked.Add((conversation, seq, clientMessageId));
                    mine.Enqueue((conversation, seq));
                    break;
                case < 60 when mine.TryPeek(out var recent):
                    await hub.InvokeAsync<JsonElement>("EditMessage", recent.Conversation, recent.Seq, $"edited {Guid.NewGuid():N}", timeout.Token);
                    break;
                case < 65 when mine.TryDequeue(out var old):
                    await hub.InvokeAsync("DeleteMessage", old.Conversation, old.Seq, "everyone", timeout.Token);
                    break;
                case < 80 when lastSeq > 0:
                    var target = Random.Shared.NextInt64(1, lastSeq + 1);
                    await hub.InvokeAsync(Random.Shared.Next(3) == 0 ? "RemoveReaction" : "AddReaction", conversation, target,
                        Emoji[Random.Shared.Next(Emoji.Length)], timeout.Token);
                    break;
                case < 95 when lastSeq > 0:
                    await hub.InvokeAsync("MarkRead", conversation, lastSeq, timeout.Token);
                    break;
                case >= 95 when owners.GetValueOrDefault(conversation) == client.UserId:
                    await ChangeMembershipAsync(client, hub, conversation, timeout.Token);
                    break;
                default:
                    Interlocked.Decrement(ref _operations);
                    break;
            }
        }
        catch (Exception)
        {
            // Faults make operations fail; what matters is that what was acknowledged holds.
            Interlocked.Increment(ref _failures);
        }
    }

    private async Task ChangeMembershipAsync(ChaosClient owner, HubConnection hub, Guid conversation, CancellationToken cancel)
    {
        var removed = _removed.GetOrAdd(conversation, _ => []);
        if (removed.TryTake(out var back))
        {
            await owner.RestAsync(HttpMethod.Post, $"/api/v1/conversations/{conversation}/members", new { userIds = new[] { back } }, cancel);
            return;
        }

        var members = owner.MembersOf(conversation).Where(m => m != owner.UserId).ToList();
        if (members.Count > 1)
        {
            var gone = members[Random.Shared.Next(members.Count)];
            await owner.RestAsync(HttpMethod.Delete, $"/api/v1/conversations/{conversation}/members/{gone}", null, cancel);
            removed.Add(gone);
        }
    }

    private static long LastSeq(ChaosClient client, Guid conversation) => client.LastSeqOf(conversation);
}
