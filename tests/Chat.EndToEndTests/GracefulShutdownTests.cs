using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using Xunit.Abstractions;

namespace Chat.EndToEndTests;

/// <summary>
/// A frontend sent SIGTERM (as Kubernetes stops a pod) in the middle of a burst of hub sends. It finishes the send
/// under way, closes its connections so that clients go elsewhere, and exits cleanly well within the grace. The
/// client's side of the contract then holds: it sends again, through the other frontend, whatever was not
/// acknowledged, and every message is stored once, in order, with every acknowledged one where its ack said.
/// </summary>
public sealed class FrontendShutdownTests(TwoFrontendDeployment chat, ITestOutputHelper output) : IClassFixture<TwoFrontendDeployment>
{
    private const int Sends = 150;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AStoppedFrontendDrainsItsSendsAndSendsItsClientsElsewhere()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.FrontendAddresses[0], "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.FrontendAddresses[1], "bob");
        var group = await AttachmentTests.GroupAsync(alice, bob);
        await alice.ConnectAsync();
        await bob.ConnectAsync();
        var closed = new TaskCompletionSource();
        alice.Hub.Closed += _ => Task.Run(closed.SetResult);

        var sends = Enumerable.Range(0, Sends).Select(i => SendAsync(alice.Hub, group, i)).ToList();
        await bob.WaitForMessagesAsync(group, 10, Grace); // the burst is under way
        chat.Frontend!.Terminate();
        var acks = await Task.WhenAll(sends);

        Assert.Equal(0, await chat.Frontend.WaitForExitAsync(Grace));
        await closed.Task.WaitAsync(Grace);
        output.WriteLine($"{acks.Count(a => a is not null)} acknowledged before the drain closed the connection\n{chat.Frontend.Output}");
        Assert.Contains("Drained: 0 send(s) unfinished", chat.Frontend.Output);
        Assert.True(acks.Count(a => a is not null) >= 10, "the sends before the drain were acknowledged");

        using var elsewhere = new HttpClient { BaseAddress = chat.FrontendAddresses[1] };
        elsewhere.DefaultRequestHeaders.Authorization = alice.Http.DefaultRequestHeaders.Authorization;
        for (var i = 0; i < Sends; i++)
        {
            if (acks[i] is null)
            {
                var retried = await elsewhere.PostAsJsonAsync($"/api/v1/conversations/{group}/messages", new { clientMessageId = $"m{i}", content = $"message {i}" });
                Assert.True(retried.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"retry of m{i}: {retried.StatusCode}");
            }
        }

        await bob.WaitForMessagesAsync(group, Sends, Grace);
        Assert.Equal(Enumerable.Range(1, Sends).Select(i => (long)i), bob.Received(group));
        var stored = (await bob.GetJsonAsync($"/api/v1/conversations/{group}/messages?limit=200"))["messages"]!.AsArray()
            .ToDictionary(m => m!["clientMessageId"]!.GetValue<string>(), m => m!["seq"]!.GetValue<long>());
        Assert.Equal(Sends, stored.Count);
        Assert.All(acks.Select((ack, i) => (ack, i)).Where(a => a.ack is not null), a => Assert.Equal(a.ack, stored[$"m{a.i}"]));
    }

    /// <summary>The seq of an acknowledged send; null for one refused or cut off with its connection (never acknowledged).</summary>
    private static async Task<long?> SendAsync(HubConnection hub, Guid conversationId, int i)
    {
        try
        {
            var ack = await hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = $"m{i}", content = $"message {i}" });
            return ack.GetProperty("seq").GetInt64();
        }
        catch (HubException e) when (e.Message.Contains("SERVICE_UNAVAILABLE"))
        {
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or TaskCanceledException or IOException or System.Net.WebSockets.WebSocketException)
        {
            return null;
        }
    }
}

/// <summary>A silo sent SIGTERM leaves the cluster cleanly: it exits with 0 in time and the membership table says Dead.</summary>
public sealed class SiloShutdownTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private const int Dead = 6; // Orleans' SiloStatus.Dead: it announced its own departure

    [Fact]
    public async Task AStoppedSiloLeavesTheClusterCleanly()
    {
        chat.Silo!.Terminate();

        Assert.Equal(0, await chat.Silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await using var db = new NpgsqlConnection(chat.Postgres.ConnectionString("chat"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Status FROM OrleansMembershipTable", db);
        Assert.Equal(Dead, Convert.ToInt32(await command.ExecuteScalarAsync()));
    }
}
