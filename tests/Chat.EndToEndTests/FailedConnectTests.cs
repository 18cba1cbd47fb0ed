using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>A connect that fails half way (PostgreSQL is down) must leave nothing behind on the frontend.</summary>
public sealed class FailedConnectTests(FastHeartbeatDeployment chat) : IClassFixture<FastHeartbeatDeployment>
{
    [Fact]
    public async Task AConnectThatFailsLeavesTheUserOfflineAndTheNextConnectWorks()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);

        await chat.Postgres.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(bob.ConnectAsync);
        }
        finally
        {
            await chat.Postgres.StartAgainAsync();
        }

        await bob.DisconnectAsync();
        // Several heartbeats: a connection the node had kept would report bob online through them.
        await Task.Delay(TimeSpan.FromSeconds(4));
        // Pooled connections broken by the outage fail once each (503) before the pool is whole again.
        var presence = await Poll.UntilAsync(() => alice.Http.GetAsync($"/api/v1/users/{bob.Id}/presence"), r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(15), "PostgreSQL to answer again");
        Assert.Equal("offline", (await presence.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        await bob.ConnectAsync();
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "back", content = "welcome back" }, 201);
        await bob.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "welcome back", TimeSpan.FromSeconds(15));
    }
}
