using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>Presence as clients see it: chosen statuses reach co-members and contacts, never users the subject blocked.</summary>
public sealed class PresenceTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AChosenStatusReachesCoMembersAndContactsButNotTheBlocked()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");       // shares a group with alice
        await using var mallory = await ChatUser.RegisterAsync(chat.BaseAddress, "mallory"); // too, but alice blocked her
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");   // a contact, no shared conversation
        await AttachmentTests.GroupAsync(alice, bob, mallory);
        await alice.PostJsonAsync("/api/v1/contacts", new { userId = carol.Id }, 201);
        await carol.PostJsonAsync($"/api/v1/contacts/{alice.Id}/accept", new { }, 200);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await alice.Http.PutAsync($"/api/v1/blocks/{mallory.Id}", null)).StatusCode);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync(), mallory.ConnectAsync(), carol.ConnectAsync());

        await alice.Hub.InvokeAsync("SetPresence", "busy", "deep work");

        bool IsAliceBusy(System.Text.Json.JsonElement p) => p.GetProperty("userId").GetGuid() == alice.Id && p.GetProperty("status").GetString() == "busy";
        var seenByBob = await bob.WaitForEventAsync("presenceChanged", IsAliceBusy, Wait);
        await carol.WaitForEventAsync("presenceChanged", IsAliceBusy, Wait);
        Assert.Equal("deep work", seenByBob.GetProperty("customStatus").GetString());
        Assert.Equal("busy", (await bob.GetJsonAsync($"/api/v1/users/{alice.Id}/presence"))["status"]!.GetValue<string>());

        await alice.Hub.InvokeAsync("SetPresence", "invisible", (string?)null);
        await bob.WaitForEventAsync("presenceChanged", p => p.GetProperty("userId").GetGuid() == alice.Id && p.GetProperty("status").GetString() == "offline", Wait);
        Assert.DoesNotContain(mallory.Events("presenceChanged"), p => p.GetProperty("userId").GetGuid() == alice.Id);
        Assert.Equal("offline", (await mallory.GetJsonAsync($"/api/v1/users/{alice.Id}/presence"))["status"]!.GetValue<string>());
    }
}
