using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// A silo crash loses every stream subscription (pub/sub state lives in silo memory). Connections that stay on
/// their frontend must go on as before: conversation feeds and users' own streams are renewed.
/// </summary>
public sealed class SiloRestartTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AfterASiloCrashConnectedUsersStillJoinLeaveAndReceive()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var existing = await AttachmentTests.GroupAsync(alice, bob);
        await bob.ConnectAsync();

        await chat.RestartSiloAsync();

        // Writes may be refused (503, retry) for a moment after the crash, though the frontend is ready again.
        // A conversation made now reaches bob only through his user stream: it must have been renewed.
        var response = await Poll.UntilAsync(
            () => alice.Http.PostAsJsonAsync("/api/v1/conversations/group", new { name = "after the crash", memberIds = new[] { bob.Id } }),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable, Wait, "the cluster to take writes again");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await alice.PostJsonAsync($"/api/v1/conversations/{created}/messages", new { clientMessageId = "new", content = "in the new group" }, 201);
        await bob.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "in the new group", Wait);

        // The conversation bob was in before the crash still delivers, and a removal still takes effect.
        await alice.PostJsonAsync($"/api/v1/conversations/{existing}/messages", new { clientMessageId = "old", content = "in the old group" }, 201);
        await bob.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "in the old group", Wait);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"/api/v1/conversations/{existing}/members/{bob.Id}")).StatusCode);
        await bob.WaitForEventAsync("memberRemoved", e => e.GetProperty("userId").GetGuid() == bob.Id, Wait);
        await alice.PostJsonAsync($"/api/v1/conversations/{existing}/messages", new { clientMessageId = "gone", content = "bob is gone" }, 201);
        await alice.PostJsonAsync($"/api/v1/conversations/{created}/messages", new { clientMessageId = "marker", content = "marker" }, 201);
        await bob.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "marker", Wait);
        Assert.DoesNotContain(bob.Events("messageReceived"), m => m.GetProperty("content").GetString() == "bob is gone");
    }
}
