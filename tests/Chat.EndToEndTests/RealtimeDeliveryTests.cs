using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>The real silo and frontend processes, driven by the .NET SignalR client as a browser would.</summary>
public sealed class RealtimeDeliveryTests(BulkSendDeployment chat) : IClassFixture<BulkSendDeployment>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<ChatUser> _users = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var user in _users)
        {
            await user.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThreeUsersExchange200ConcurrentMessagesAndEachSeesEverySeqOnceInOrder()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "trio", memberIds = new[] { bob.Id, carol.Id } }, 201);
        var conversationId = group["id"]!.GetValue<Guid>();
        ChatUser[] everyone = [alice, bob, carol];
        foreach (var user in everyone)
        {
            await user.ConnectAsync();
        }

        var acks = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            everyone[i % 3].Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = $"m{i}", content = $"message {i}" })));

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), acks.Select(a => a.GetProperty("seq").GetInt64()).Order());
        foreach (var user in everyone)
        {
            await user.WaitForMessagesAsync(conversationId, 200, Patience);
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), user.Received(conversationId));
        }
    }

    [Fact]
    public async Task AClientThatWasOfflineCatchesUpWithGetMissed()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var direct = await alice.PostJsonAsync("/api/v1/conversations/direct", new { userId = bob.Id }, 201);
        var conversationId = direct["id"]!.GetValue<Guid>();
        await bob.ConnectAsync();
        await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "first", content = "are you there?" }, 201);
        await bob.WaitForMessagesAsync(conversationId, 1, Patience);

        await bob.DisconnectAsync();
        for (var i = 0; i < 5; i++)
        {
            await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = $"while-away-{i}", content = $"missed {i}" }, 201);
        }

        await bob.ConnectAsync();
        var missed = await bob.Hub.InvokeAsync<Dictionary<Guid, List<JsonElement>>>("GetMissed", new Dictionary<Guid, long> { [conversationId] = 1 });

        Assert.Equal([2L, 3, 4, 5, 6], missed[conversationId].Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal("missed 0", missed[conversationId][0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task AConversationCreatedWhileConnectedStartsDeliveringAtOnceAndOnlyToItsMembers()
    {
        var (alice, bob, eve) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("eve"));
        await bob.ConnectAsync();
        await eve.ConnectAsync();

        var direct = await alice.PostJsonAsync("/api/v1/conversations/direct", new { userId = bob.Id }, 201);
        var conversationId = direct["id"]!.GetValue<Guid>();
        await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "hello", content = "hello bob" }, 201);

        await bob.WaitForMessagesAsync(conversationId, 1, Patience);
        Assert.Equal([1L], bob.Received(conversationId));
        Assert.Empty(eve.Received(conversationId));
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            eve.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = "x", content = "intrusion" }));
        Assert.Contains("HubException: NOT_FOUND", refused.Message);
    }

    [Fact]
    public async Task ReceiptsAndPresenceReachTheOtherMember()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var direct = await alice.PostJsonAsync("/api/v1/conversations/direct", new { userId = bob.Id }, 201);
        var conversationId = direct["id"]!.GetValue<Guid>();
        await alice.ConnectAsync();

        await bob.ConnectAsync();
        await alice.WaitForEventAsync("presenceChanged", p => p.GetProperty("userId").GetGuid() == bob.Id && p.GetProperty("status").GetString() == "online", Patience);
        await alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = "read me", content = "read me" });
        await bob.WaitForMessagesAsync(conversationId, 1, Patience);
        await bob.Hub.InvokeAsync("MarkRead", conversationId, 1L);
        var receipt = await alice.WaitForEventAsync("receiptsChanged", r => r.GetProperty("userId").GetGuid() == bob.Id, Patience);
        await bob.DisconnectAsync();
        var offline = await alice.WaitForEventAsync("presenceChanged", p => p.GetProperty("userId").GetGuid() == bob.Id && p.GetProperty("status").GetString() == "offline", Patience);

        Assert.Equal((1L, 1L), (receipt.GetProperty("readSeq").GetInt64(), receipt.GetProperty("deliveredSeq").GetInt64()));
        Assert.Equal(JsonValueKind.String, offline.GetProperty("lastSeenAt").ValueKind);
        var conversation = await bob.GetJsonAsync($"/api/v1/conversations/{conversationId}");
        Assert.Equal(0, conversation["unreadCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task BadHubArgumentsAreRefusedWithAValidationError()
    {
        var alice = await NewUserAsync("alice");
        await alice.ConnectAsync();

        var empty = await Assert.ThrowsAsync<HubException>(() =>
            alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = Guid.NewGuid(), clientMessageId = "x", content = "   " }));
        var missed = await Assert.ThrowsAsync<HubException>(() =>
            alice.Hub.InvokeAsync<JsonObject>("GetMissed", new Dictionary<Guid, long> { [Guid.NewGuid()] = -1 }));

        Assert.Contains("HubException: VALIDATION_ERROR", empty.Message);
        Assert.Contains("HubException: VALIDATION_ERROR", missed.Message);
    }

    private async Task<ChatUser> NewUserAsync(string prefix)
    {
        var user = await ChatUser.RegisterAsync(chat.BaseAddress, prefix);
        _users.Add(user);
        return user;
    }
}
