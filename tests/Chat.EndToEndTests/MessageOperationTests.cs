using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>Edit, delete, react and forward over REST and the hub, and the events each one sends to whom.</summary>
public sealed class MessageOperationTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EditsReactionsAndDeletesReachEveryMemberAsEvents()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var conversationId = await AttachmentTests.GroupAsync(alice, bob);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        var path = $"/api/v1/conversations/{conversationId}/messages";
        var seq = (await alice.PostJsonAsync(path, new { clientMessageId = "m1", content = "helo" }, 201))["seq"]!.GetValue<long>();

        var edited = await alice.Http.PatchAsJsonAsync($"{path}/{seq}", new { content = "hello" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var editEvent = await bob.WaitForEventAsync("messageEdited", m => m.GetProperty("seq").GetInt64() == seq, Wait);
        Assert.Equal("hello", editEvent.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.String, editEvent.GetProperty("editedAt").ValueKind);
        var versions = (await bob.GetJsonAsync($"{path}/{seq}/edits"))["versions"]!.AsArray();
        Assert.Equal("helo", versions.Single()!["content"]!.GetValue<string>());
        await AttachmentTests.AssertErrorAsync(await bob.Http.PatchAsJsonAsync($"{path}/{seq}", new { content = "mine now" }), HttpStatusCode.Forbidden, "FORBIDDEN");

        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.PutAsync($"{path}/{seq}/reactions/{Uri.EscapeDataString("🎉")}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.PutAsync($"{path}/{seq}/reactions/{Uri.EscapeDataString("🎉")}", null)).StatusCode);
        var reactions = await alice.WaitForEventAsync("reactionsChanged", r => r.GetProperty("seq").GetInt64() == seq, Wait);
        Assert.Equal("🎉", reactions.GetProperty("reactions")[0].GetProperty("emoji").GetString());
        Assert.Equal(1, reactions.GetProperty("reactions")[0].GetProperty("count").GetInt32());
        await AttachmentTests.AssertErrorAsync(await bob.Http.PutAsync($"{path}/{seq}/reactions/two%20words", null), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"{path}/{seq}?scope=everyone")).StatusCode);
        var deleted = await bob.WaitForEventAsync("messageDeleted", d => d.GetProperty("seq").GetInt64() == seq, Wait);
        Assert.Equal("everyone", deleted.GetProperty("scope").GetString());
        var tombstone = await bob.GetJsonAsync($"{path}/{seq}");
        Assert.Null(tombstone["content"]);
        Assert.NotNull(tombstone["deletedAt"]);
        await AttachmentTests.AssertErrorAsync(await alice.Http.DeleteAsync($"{path}/{seq}?scope=all"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task DeleteForMeTellsOnlyTheCallersOwnConnections()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var conversationId = await AttachmentTests.GroupAsync(alice, bob);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        var path = $"/api/v1/conversations/{conversationId}/messages";
        var first = (await bob.PostJsonAsync(path, new { clientMessageId = "a", content = "one" }, 201))["seq"]!.GetValue<long>();
        var second = (await bob.PostJsonAsync(path, new { clientMessageId = "b", content = "two" }, 201))["seq"]!.GetValue<long>();

        await alice.Hub.InvokeAsync("DeleteMessage", conversationId, first, "me");
        var hidden = await alice.WaitForEventAsync("messageDeleted", d => d.GetProperty("seq").GetInt64() == first, Wait);
        Assert.Equal("me", hidden.GetProperty("scope").GetString());
        // Something bob does get, sent after the hide: by then a wrongly routed messageDeleted would have had its chance.
        await alice.Hub.InvokeAsync("AddReaction", conversationId, second, "👍");
        await bob.WaitForEventAsync("reactionsChanged", r => r.GetProperty("seq").GetInt64() == second, Wait);

        Assert.Empty(bob.Events("messageDeleted"));
        Assert.Equal([second], (await alice.GetJsonAsync(path))["messages"]!.AsArray().Select(m => m!["seq"]!.GetValue<long>()));
        Assert.Equal([first, second], (await bob.GetJsonAsync(path))["messages"]!.AsArray().Select(m => m!["seq"]!.GetValue<long>()));
    }

    [Fact]
    public async Task TheHubEditsAndRefusesWithTheErrorCode()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var conversationId = await AttachmentTests.GroupAsync(alice, bob);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        var seq = (await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "h", content = "draft" }, 201))["seq"]!.GetValue<long>();

        var edited = await alice.Hub.InvokeAsync<JsonElement>("EditMessage", conversationId, seq, "final");
        Assert.Equal("final", edited.GetProperty("content").GetString());
        var refused = await Assert.ThrowsAsync<HubException>(() => bob.Hub.InvokeAsync("EditMessage", conversationId, seq, "hijack"));
        Assert.Contains("HubException: FORBIDDEN", refused.Message);
        await bob.Hub.InvokeAsync("AddReaction", conversationId, seq, "👀");
        await bob.Hub.InvokeAsync("RemoveReaction", conversationId, seq, "👀");
        var cleared = await alice.WaitForEventAsync("reactionsChanged", r => r.GetProperty("reactions").GetArrayLength() == 0, Wait);
        Assert.Equal(seq, cleared.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task ForwardingPostsACopyIntoEachTargetConversation()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var source = await AttachmentTests.GroupAsync(alice, bob);
        var targetA = await AttachmentTests.GroupAsync(alice);
        var targetB = await AttachmentTests.GroupAsync(alice);
        var seq = (await bob.PostJsonAsync($"/api/v1/conversations/{source}/messages", new { clientMessageId = "f", content = "pass it on" }, 201))["seq"]!.GetValue<long>();

        var result = await alice.PostJsonAsync($"/api/v1/conversations/{source}/messages/{seq}/forward", new { toConversationIds = new[] { targetA, targetB } }, 200);

        var messages = result["messages"]!.AsArray();
        Assert.Equal([targetA, targetB], messages.Select(m => m!["conversationId"]!.GetValue<Guid>()));
        Assert.All(messages, m => Assert.Equal(source, m!["forwardedFrom"]!["conversationId"]!.GetValue<Guid>()));
        Assert.All(messages, m => Assert.Equal("pass it on", m!["content"]!.GetValue<string>()));
        var refused = await bob.Http.PostAsJsonAsync($"/api/v1/conversations/{source}/messages/{seq}/forward", new { toConversationIds = new[] { targetA } });
        await AttachmentTests.AssertErrorAsync(refused, HttpStatusCode.NotFound, "NOT_FOUND");
        var empty = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{source}/messages/{seq}/forward", new { toConversationIds = Array.Empty<Guid>() });
        await AttachmentTests.AssertErrorAsync(empty, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task DisappearingMessagesTurnIntoTombstonesAndEveryMemberIsTold()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var direct = (await alice.PostJsonAsync("/api/v1/conversations/direct", new { userId = bob.Id }, 201))["id"]!.GetValue<Guid>();
        await bob.ConnectAsync();

        var setting = await bob.Http.PatchAsJsonAsync($"/api/v1/conversations/{direct}", new { disappearAfterSeconds = 2 });
        Assert.Equal(HttpStatusCode.OK, setting.StatusCode); // either user of a direct conversation may
        var message = await alice.PostJsonAsync($"/api/v1/conversations/{direct}/messages", new { clientMessageId = "brief", content = "read fast" }, 201);
        var seq = message["seq"]!.GetValue<long>();
        Assert.NotNull(message["expiresAt"]);

        var deleted = await bob.WaitForEventAsync("messageDeleted", d => d.GetProperty("seq").GetInt64() == seq, TimeSpan.FromSeconds(30));
        Assert.Equal("everyone", deleted.GetProperty("scope").GetString());
        Assert.Null((await bob.GetJsonAsync($"/api/v1/conversations/{direct}/messages/{seq}"))["content"]);
        Assert.Equal(2, (await alice.GetJsonAsync($"/api/v1/conversations/{direct}"))["disappearAfterSeconds"]!.GetValue<int>());
    }
}
