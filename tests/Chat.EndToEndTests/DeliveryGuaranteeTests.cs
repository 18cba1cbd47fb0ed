using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>API.md's delivery guarantees for every kind of change, not only new messages.</summary>
public sealed class DeliveryGuaranteeTests(BulkSendDeployment chat) : IClassFixture<BulkSendDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ReceiptsReachTheSendersAfterConcurrentSends()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        var id = await AttachmentTests.GroupAsync(alice, bob, carol);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync(), carol.ConnectAsync());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? alice : bob).Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = id, clientMessageId = $"m{i}", content = $"m{i}" })));
        await carol.WaitForMessagesAsync(id, 20, Wait);
        await carol.Hub.InvokeAsync("MarkRead", id, 20L);

        foreach (var sender in new[] { alice, bob })
        {
            await sender.WaitForEventAsync("receiptsChanged", r => r.GetProperty("userId").GetGuid() == carol.Id && r.GetProperty("readSeq").GetInt64() == 20, Wait);
        }
    }

    [Fact]
    public async Task EveryKindOfChangeReachesEveryConnectionOnceInVersionOrder()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var dave = await ChatUser.RegisterAsync(chat.BaseAddress, "dave");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());

        var ack = await alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = id, clientMessageId = "one", content = "one" });
        var seq = ack.GetProperty("seq").GetInt64();
        await alice.Hub.InvokeAsync<JsonElement>("EditMessage", id, seq, "one, edited");
        await bob.Hub.InvokeAsync("AddReaction", id, seq, "🎉");
        await bob.Hub.InvokeAsync("MarkRead", id, seq);
        await alice.Hub.InvokeAsync("DeleteMessage", id, seq, "everyone");
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/members", new { userIds = new[] { dave.Id } }, 200);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}", new { name = "renamed" })).StatusCode);
        var head = (await alice.GetJsonAsync($"/api/v1/conversations/{id}"))["version"]!.GetValue<long>();

        foreach (var user in new[] { alice, bob })
        {
            await user.WaitForVersionAsync(id, head, Wait);
            var versions = user.Versioned(id);
            Assert.Equal(versions.Select(v => v.Version).Order(), versions.Select(v => v.Version)); // in order
            Assert.Equal(versions.Count, versions.Select(v => v.Version).Distinct().Count()); // once each
            foreach (var name in new[] { "messageReceived", "messageEdited", "reactionsChanged", "receiptsChanged", "messageDeleted", "memberAdded", "conversationUpdated" })
            {
                Assert.Contains(versions, v => v.Name == name);
            }
        }
    }

    [Fact]
    public async Task ARemovedMemberGetsMemberRemovedAndNothingAfterIt()
    {
        await using var owner = await ChatUser.RegisterAsync(chat.BaseAddress, "owner");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        var id = await AttachmentTests.GroupAsync(owner, carol);
        await Task.WhenAll(owner.ConnectAsync(), carol.ConnectAsync());

        for (var round = 0; round < 5; round++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{carol.Id}")).StatusCode);
            // No pause: the next message goes out at once, and must not reach carol.
            await owner.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = $"after{round}", content = $"carol is gone {round}" }, 201);
            await owner.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == $"carol is gone {round}", Wait);
            await carol.WaitForEventAsync("memberRemoved", e => e.GetProperty("userId").GetGuid() == carol.Id && e.GetProperty("version").GetInt64() > 0, Wait);
            await owner.PostJsonAsync($"/api/v1/conversations/{id}/members", new { userIds = new[] { carol.Id } }, 200);
            await owner.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = $"back{round}", content = $"carol is back {round}" }, 201);
            await carol.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == $"carol is back {round}", Wait);
        }

        Assert.DoesNotContain(carol.Events("messageReceived"), m => m.GetProperty("content").GetString()!.StartsWith("carol is gone", StringComparison.Ordinal));
        var versions = carol.Versioned(id).Select(v => v.Version).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public async Task GetMissedLeavesOutConversationsTheCallerLeft()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var stay = await AttachmentTests.GroupAsync(alice, bob);
        var leave = await AttachmentTests.GroupAsync(alice, bob);
        await alice.PostJsonAsync($"/api/v1/conversations/{stay}/messages", new { clientMessageId = "hi", content = "hi" }, 201);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.DeleteAsync($"/api/v1/conversations/{leave}/members/{bob.Id}")).StatusCode);
        await bob.ConnectAsync();

        var missed = await bob.Hub.InvokeAsync<Dictionary<Guid, List<JsonElement>>>("GetMissed", new Dictionary<Guid, long> { [stay] = 0, [leave] = 0 });

        Assert.Equal([stay], missed.Keys);
        Assert.Single(missed[stay]);
    }

    [Fact]
    public async Task GetChangesBringsAReconnectingClientEverythingItMissed()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var eve = await ChatUser.RegisterAsync(chat.BaseAddress, "eve");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        for (var i = 1; i <= 3; i++)
        {
            await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = $"m{i}", content = $"m{i}" }, 201);
        }

        var since = (await bob.GetJsonAsync($"/api/v1/conversations/{id}"))["version"]!.GetValue<long>();
        // While bob is away: an edit, a delete, a reaction, a receipt, a new message and a rename.
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/1", new { content = "m1, edited" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/2?scope=everyone")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.PutAsync($"/api/v1/conversations/{id}/messages/3/reactions/%F0%9F%91%8D", null)).StatusCode);
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "m4", content = "m4" }, 201);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}", new { name = "renamed" })).StatusCode);
        await bob.ConnectAsync();

        var changes = (await bob.Hub.InvokeAsync<Dictionary<Guid, JsonElement>>("GetChanges", new Dictionary<Guid, long> { [id] = since, [Guid.NewGuid()] = 0 }))[id];

        Assert.True(changes.GetProperty("isMember").GetBoolean());
        var messages = changes.GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("seq").GetInt64());
        Assert.Equal("m1, edited", messages[1].GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, messages[2].GetProperty("content").ValueKind);
        Assert.Equal("👍", messages[3].GetProperty("reactions")[0].GetProperty("emoji").GetString());
        Assert.Equal("m4", messages[4].GetProperty("content").GetString());
        Assert.Equal("renamed", changes.GetProperty("conversation").GetProperty("name").GetString());
        var rest = await bob.GetJsonAsync($"/api/v1/conversations/{id}/changes?since={since}");
        Assert.Equal(changes.GetProperty("version").GetInt64(), rest["version"]!.GetValue<long>());
        await AttachmentTests.AssertErrorAsync(await eve.Http.GetAsync($"/api/v1/conversations/{id}/changes?since=0"), HttpStatusCode.NotFound, "NOT_FOUND");
        await AttachmentTests.AssertErrorAsync(await bob.Http.GetAsync($"/api/v1/conversations/{id}/changes?since=-1"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
