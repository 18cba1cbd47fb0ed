using System.Net;
using System.Net.Http.Json;

namespace Chat.EndToEndTests;

/// <summary>Membership changes as connected clients see them: events, and messages starting or stopping.</summary>
public sealed class GroupEventTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AddedMembersStartReceivingAndRemovedMembersStop()
    {
        await using var owner = await ChatUser.RegisterAsync(chat.BaseAddress, "owner");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        await using var dave = await ChatUser.RegisterAsync(chat.BaseAddress, "dave");
        var id = await AttachmentTests.GroupAsync(owner, carol);
        await Task.WhenAll(owner.ConnectAsync(), carol.ConnectAsync(), dave.ConnectAsync());

        await owner.PostJsonAsync($"/api/v1/conversations/{id}/members", new { userIds = new[] { dave.Id } }, 200);
        var added = await carol.WaitForEventAsync("memberAdded", e => e.GetProperty("userId").GetGuid() == dave.Id, Wait);
        Assert.Equal(owner.Id, added.GetProperty("by").GetGuid());
        await owner.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "welcome", content = "welcome dave" }, 201);
        await dave.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "welcome dave", Wait);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{carol.Id}")).StatusCode);
        var removed = await carol.WaitForEventAsync("memberRemoved", e => e.GetProperty("userId").GetGuid() == carol.Id, Wait);
        Assert.Equal(id, removed.GetProperty("conversationId").GetGuid());
        await dave.WaitForEventAsync("memberRemoved", e => e.GetProperty("userId").GetGuid() == carol.Id, Wait);
        await owner.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "after", content = "carol is gone" }, 201);
        await dave.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "carol is gone", Wait);
        Assert.DoesNotContain(carol.Events("messageReceived"), m => m.GetProperty("content").GetString() == "carol is gone");
        await AttachmentTests.AssertErrorAsync(await carol.Http.GetAsync($"/api/v1/conversations/{id}/messages"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task RenamingSendsConversationUpdatedWithoutAnyonesOwnFields()
    {
        await using var owner = await ChatUser.RegisterAsync(chat.BaseAddress, "owner");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        var id = await AttachmentTests.GroupAsync(owner, carol);
        await carol.ConnectAsync();

        var response = await owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}", new { name = "Renamed", description = "new words" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var updated = await carol.WaitForEventAsync("conversationUpdated", c => c.GetProperty("id").GetGuid() == id, Wait);
        Assert.Equal("Renamed", updated.GetProperty("name").GetString());
        Assert.Equal("new words", updated.GetProperty("description").GetString());
        Assert.Equal(0, updated.GetProperty("readSeq").GetInt64());
        var system = await carol.WaitForEventAsync("messageReceived", m => m.GetProperty("contentType").GetString() == "system", Wait);
        Assert.Contains("renamed", system.GetProperty("content").GetString());
    }
}
