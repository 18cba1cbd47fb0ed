using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>The failure rule that matters most: an acknowledged send survives SIGKILL of every Chat process.</summary>
public sealed class CrashRecoveryTests(BulkSendDeployment chat) : IClassFixture<BulkSendDeployment>
{
    [Fact]
    public async Task AcknowledgedMessagesSurviveKillingBothProcessesAndSeqContinuesWithoutHoleOrRepeat()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "durable", memberIds = new[] { bob.Id } }, 201);
        var conversationId = group["id"]!.GetValue<Guid>();
        await alice.ConnectAsync();
        var acks = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = $"before-{i}", content = $"before crash {i}" })));

        chat.KillProcesses();
        await alice.DisconnectAsync();
        await chat.StartProcessesAsync();

        // Tokens stay valid across the restart: same signing key, nothing held in frontend memory.
        var history = await bob.GetJsonAsync($"/api/v1/conversations/{conversationId}/messages?after=0&limit=200");
        var stored = history["messages"]!.AsArray().Select(m => (Id: m!["id"]!.GetValue<Guid>(), Seq: m["seq"]!.GetValue<long>())).ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), stored.Select(s => s.Seq));
        Assert.All(acks, ack => Assert.Contains((ack.GetProperty("id").GetGuid(), ack.GetProperty("seq").GetInt64()), stored));

        var retried = await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "before-7", content = "before crash 7" }, 200);
        var next = await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "after", content = "after restart" }, 201);
        Assert.Equal(8, retried["seq"]!.GetValue<long>());
        Assert.Equal(51, next["seq"]!.GetValue<long>());
    }

    [Fact]
    public async Task AScheduledMessageIsPostedEvenThoughEveryProcessWasKilledBeforeItWasDue()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "later", memberIds = Array.Empty<Guid>() }, 201);
        var conversationId = group["id"]!.GetValue<Guid>();
        var due = DateTimeOffset.UtcNow.AddSeconds(4);
        var accepted = await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId = "wake-up", content = "posted by the reminder", scheduledFor = due }, 202);
        Assert.NotNull(accepted["scheduledId"]);

        chat.KillProcesses();
        await chat.StartProcessesAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        System.Text.Json.Nodes.JsonArray messages;
        do
        {
            await Task.Delay(500); // the reminder fires inside the new silo: nothing to await from here
            messages = (await alice.GetJsonAsync($"/api/v1/conversations/{conversationId}/messages"))["messages"]!.AsArray();
        }
        while (messages.Count == 0 && DateTime.UtcNow < deadline);

        Assert.Equal("posted by the reminder", Assert.Single(messages)!["content"]!.GetValue<string>());
    }
}
