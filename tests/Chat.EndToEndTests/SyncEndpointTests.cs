using System.Net;

namespace Chat.EndToEndTests;

/// <summary>GET /sync over HTTP: every conversation at first, then a token that narrows to what changed.</summary>
public sealed class SyncEndpointTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    [Fact]
    public async Task AFullSyncThenATokenForTheNextOne()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "s", content = "sync me" }, 201);

        var full = await bob.GetJsonAsync("/api/v1/sync");
        var entry = full["conversations"]!.AsArray().Single(c => c!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal((1L, 0L, 1L), (entry["lastSeq"]!.GetValue<long>(), entry["readSeq"]!.GetValue<long>(), entry["unreadCount"]!.GetValue<long>()));
        var token = full["nextToken"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(token));

        var next = await bob.GetJsonAsync($"/api/v1/sync?since={token}");
        Assert.NotNull(next["nextToken"]);
        await AttachmentTests.AssertErrorAsync(await bob.Http.GetAsync("/api/v1/sync?since=not-a-token!"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
