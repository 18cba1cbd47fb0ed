using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>Typing indicators: coalesced, stopped explicitly or by silence, only for members.</summary>
public sealed class TypingTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AFastTypistSendsOneStartAndAStopReachesTheOthers()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());

        for (var keystroke = 0; keystroke < 20; keystroke++)
        {
            await alice.Hub.InvokeAsync("StartTyping", id);
        }

        await alice.Hub.InvokeAsync("StopTyping", id);
        await bob.WaitForEventAsync("typingChanged", t => !t.GetProperty("isTyping").GetBoolean(), Wait);

        var seen = bob.Events("typingChanged");
        Assert.Equal([true, false], seen.Select(t => t.GetProperty("isTyping").GetBoolean()));
        Assert.All(seen, t => Assert.Equal((id, alice.Id), (t.GetProperty("conversationId").GetGuid(), t.GetProperty("userId").GetGuid())));
    }

    [Fact]
    public async Task TypingEndsBySilenceAfterSixSeconds()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());

        await alice.Hub.InvokeAsync("StartTyping", id);
        var started = DateTime.UtcNow;
        await bob.WaitForEventAsync("typingChanged", t => t.GetProperty("isTyping").GetBoolean(), Wait);
        await bob.WaitForEventAsync("typingChanged", t => !t.GetProperty("isTyping").GetBoolean(), TimeSpan.FromSeconds(12));

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OutsidersCannotType()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var eve = await ChatUser.RegisterAsync(chat.BaseAddress, "eve");
        var id = await AttachmentTests.GroupAsync(alice);
        await eve.ConnectAsync();
        var refused = await Assert.ThrowsAsync<HubException>(() => eve.Hub.InvokeAsync("StartTyping", id));
        Assert.Contains("HubException: NOT_FOUND", refused.Message);
    }
}
