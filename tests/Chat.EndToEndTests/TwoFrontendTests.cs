using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>Two frontend processes on one silo: each node subscribes for its own connections.</summary>
public sealed class TwoFrontendDeployment : BulkSendDeployment
{
    protected override int ExtraFrontends => 1;
}

public sealed class TwoFrontendTests(TwoFrontendDeployment chat) : IClassFixture<TwoFrontendDeployment>
{
    [Fact]
    public async Task UsersOnDifferentFrontendsSeeEachOthersMessagesOnceAndInOrder()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.FrontendAddresses[0], "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.FrontendAddresses[1], "bob");
        await using var carol = await ChatUser.RegisterAsync(chat.FrontendAddresses[1], "carol");
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "across nodes", memberIds = new[] { bob.Id, carol.Id } }, 201);
        var conversationId = group["id"]!.GetValue<Guid>();
        ChatUser[] everyone = [alice, bob, carol];
        foreach (var user in everyone)
        {
            await user.ConnectAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 150).Select(i =>
            everyone[i % 3].Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = $"m{i}", content = $"message {i}" })));

        foreach (var user in everyone)
        {
            await user.WaitForMessagesAsync(conversationId, 150, TimeSpan.FromSeconds(30));
            Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), user.Received(conversationId));
        }
    }
}
