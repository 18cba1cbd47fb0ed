using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>
/// Faults on the delivery path itself: stream events dropped (the feeds here keep one queued event and drop the
/// rest, as a failing stream would) must be repaired from the log, and a socket that stops reading must not hold
/// anyone else back.
/// </summary>
public sealed class LossyFeedTests(LossyFeedDeployment chat) : IClassFixture<LossyFeedDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DroppedEventsOfEveryKindAreRepairedOnceInOrderAndClientsEndUpWithTheStoredState()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        var id = await AttachmentTests.GroupAsync(alice, bob, carol);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync(), carol.ConnectAsync());

        // Bursts from two users at once: sends, then edits, reactions, deletes and receipts of what was sent.
        var acks = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? alice : bob).Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = id, clientMessageId = $"m{i}", content = $"m{i}" })));
        var bySender = acks.Select((ack, i) => (Sender: i % 2 == 0 ? alice : bob, Seq: ack.GetProperty("seq").GetInt64())).ToList();
        await Task.WhenAll(bySender.Select(m => (m.Seq % 4) switch
        {
            0 => m.Sender.Hub.InvokeAsync<JsonElement>("EditMessage", id, m.Seq, $"edited {m.Seq}"),
            1 => carol.Hub.InvokeAsync("AddReaction", id, m.Seq, "👍"),
            2 => m.Sender.Hub.InvokeAsync("DeleteMessage", id, m.Seq, "everyone"),
            _ => carol.Hub.InvokeAsync("MarkRead", id, m.Seq),
        }));
        var head = (await alice.GetJsonAsync($"/api/v1/conversations/{id}"))["version"]!.GetValue<long>();

        var stored = (await alice.GetJsonAsync($"/api/v1/conversations/{id}/messages?limit=200"))["messages"]!.AsArray()
            .ToDictionary(m => m!["seq"]!.GetValue<long>(), m => Describe(JsonSerializer.Deserialize<JsonElement>(m!.ToJsonString())));
        foreach (var user in new[] { alice, bob, carol })
        {
            await user.WaitForVersionAsync(id, head, Wait);
            var versions = user.Versioned(id).Select(v => v.Version).ToList();
            Assert.Equal(versions.Order(), versions);
            Assert.Equal(versions.Count, versions.Distinct().Count());
            Assert.Equal(stored, ViewOf(user, id));
        }
    }

    [Fact]
    public async Task MembershipChangesLostInBurstsStillReachEveryConnectionOnceInOrder()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        await using var dave = await ChatUser.RegisterAsync(chat.BaseAddress, "dave");
        ChatUser[] everyone = [alice, bob, carol, dave];
        var id = await AttachmentTests.GroupAsync(alice, bob, carol, dave);
        await Task.WhenAll(everyone.Select(u => u.ConnectAsync()));
        var start = (await alice.GetJsonAsync($"/api/v1/conversations/{id}"))["version"]!.GetValue<long>();

        // Each round carol and dave swap places (one removed, the other added back) amid bursts from alice and bob,
        // so the feeds drop membership events among the rest and must repair them from the log.
        for (var round = 0; round < 6; round++)
        {
            var (leaving, returning) = round % 2 == 0 ? (carol, dave) : (dave, carol);
            var burst = Enumerable.Range(0, 20).Select(i =>
                (i % 2 == 0 ? alice : bob).Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = id, clientMessageId = $"r{round}m{i}", content = $"r{round}m{i}" }));
            var remove = alice.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{leaving.Id}");
            var add = round == 0 ? Task.CompletedTask : alice.PostJsonAsync($"/api/v1/conversations/{id}/members", new { userIds = new[] { returning.Id } }, 200);
            await Task.WhenAll(Task.WhenAll(burst), remove, add);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await remove).StatusCode);
        }

        var changes = await alice.GetJsonAsync($"/api/v1/conversations/{id}/changes?since=0&limit=1");
        var head = (await alice.GetJsonAsync($"/api/v1/conversations/{id}"))["version"]!.GetValue<long>();
        var members = changes["members"]!.AsArray().Select(m => m!["userId"]!.GetValue<Guid>()).ToHashSet();
        Assert.Equal([alice.Id, bob.Id, carol.Id], members.Order());
        foreach (var user in everyone)
        {
            var member = members.Contains(user.Id);
            if (member)
            {
                await user.WaitForVersionAsync(id, head, Wait);
            }
            else
            {
                await user.WaitForEventAsync("memberRemoved", e => e.GetProperty("userId").GetGuid() == user.Id && e.GetProperty("version").GetInt64() > start + 10, Wait);
            }

            // While a member, every version once and in order, none skipped; between their own memberRemoved and
            // memberAdded, nothing.
            var own = MembershipEvents(user, id).Where(e => e.UserId == user.Id).ToDictionary(e => e.Version, e => e.Name);
            var (inside, last) = (true, start);
            foreach (var version in user.Versioned(id).Select(v => v.Version).Where(v => v > start))
            {
                var joined = !inside && own.GetValueOrDefault(version) == "memberAdded";
                Assert.True(inside ? version == last + 1 : joined, $"{user.Username} got version {version} after {last} (member: {inside})");
                (inside, last) = (joined || (inside && own.GetValueOrDefault(version) != "memberRemoved"), version);
            }

            Assert.Equal(member, inside);
        }

        // Alice and bob were members throughout: their events tell the membership as stored.
        foreach (var user in new[] { alice, bob })
        {
            var view = everyone.Select(u => u.Id).ToHashSet();
            foreach (var (name, userId, _) in MembershipEvents(user, id))
            {
                _ = name == "memberAdded" ? view.Add(userId) : view.Remove(userId);
            }

            Assert.Equal(members.Order(), view.Order());
        }
    }

    [Fact]
    public async Task ASocketThatStopsReadingIsClosedWithoutHoldingBackTheOthers()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        await alice.ConnectAsync();
        using var stalled = await ConnectWithoutReadingAsync(bob);

        // Enough bytes (about 17 MB) to fill the kernel's socket buffers and then the connection's own.
        const int Count = 2400;
        var text = new string('x', 7000);
        foreach (var chunk in Enumerable.Range(0, Count).Chunk(20))
        {
            await Task.WhenAll(chunk.Select(i =>
                alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = id, clientMessageId = $"big{i}", content = $"{i} {text}" })));
        }

        await alice.WaitForMessagesAsync(id, Count, Wait);
        // The stalled socket's buffer overflowed, so the server closed it: reading now finds the close after the backlog.
        var closed = await DrainUntilClosedAsync(stalled).WaitAsync(Wait);
        Assert.True(closed, "the server should have closed the connection that stopped reading");
    }

    private static async Task<ClientWebSocket> ConnectWithoutReadingAsync(ChatUser user)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(user.Http.BaseAddress!) { Scheme = "ws", Path = "/hubs/chat", Query = $"access_token={user.AccessToken}" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        // Wait for the handshake answer, then never read again while the messages flow.
        var buffer = new byte[1024];
        await socket.ReceiveAsync(buffer, CancellationToken.None);
        return socket;
    }

    private static async Task<bool> DrainUntilClosedAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (WebSocketException)
        {
            return true; // closed without a close frame
        }
    }

    private static IEnumerable<(string Name, Guid UserId, long Version)> MembershipEvents(ChatUser user, Guid id) =>
        new[] { "memberAdded", "memberRemoved" }
            .SelectMany(name => user.Events(name).Select(e => (Name: name, Payload: e)))
            .Where(e => e.Payload.GetProperty("conversationId").GetGuid() == id)
            .OrderBy(e => e.Payload.GetProperty("version").GetInt64())
            .Select(e => (e.Name, e.Payload.GetProperty("userId").GetGuid(), e.Payload.GetProperty("version").GetInt64()));

    /// <summary>The conversation as the user's events built it: per seq, content or tombstone, and reactions.</summary>
    private static Dictionary<long, string> ViewOf(ChatUser user, Guid id)
    {
        var view = new Dictionary<long, string>();
        var events = new[] { "messageReceived", "messageEdited", "messageDeleted", "reactionsChanged" }
            .SelectMany(name => user.Events(name).Select(e => (Name: name, Payload: e)))
            .Where(e => e.Payload.GetProperty("conversationId").GetGuid() == id && e.Payload.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number)
            .OrderBy(e => e.Payload.GetProperty("version").GetInt64());
        var reactions = new Dictionary<long, string>();
        foreach (var (name, payload) in events)
        {
            var seq = payload.GetProperty("seq").GetInt64();
            switch (name)
            {
                case "messageDeleted":
                    view[seq] = "deleted";
                    reactions.Remove(seq);
                    break;
                case "reactionsChanged":
                    reactions[seq] = Reactions(payload);
                    break;
                default:
                    view[seq] = Describe(payload);
                    reactions.Remove(seq);
                    break;
            }
        }

        foreach (var (seq, reaction) in reactions)
        {
            view[seq] = view[seq].Split('|')[0] + "|" + reaction;
        }

        return view;
    }

    private static string Describe(JsonElement message) =>
        message.GetProperty("deletedAt").ValueKind != JsonValueKind.Null ? "deleted" : $"{message.GetProperty("content").GetString()}|{Reactions(message)}";

    private static string Reactions(JsonElement payload) =>
        string.Join(",", payload.GetProperty("reactions").EnumerateArray().Select(r => $"{r.GetProperty("emoji").GetString()}{r.GetProperty("count").GetInt32()}"));
}
