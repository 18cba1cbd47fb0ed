using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// The hub's MessagePack protocol, driven by SignalR's own JavaScript MessagePack client: the same camelCase fields and
/// values as the JSON contract, in results, events and errors, next to JSON clients of the same conversation.
/// </summary>
public sealed class HubProtocolTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AMessagePackClientSeesTheJsonContractFieldForField()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        await alice.ConnectAsync();
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "json-1", content = "over JSON" }, 201);

        var seen = await RunMessagePackClientAsync(bob.AccessToken, id);

        var history = (await alice.GetJsonAsync($"/api/v1/conversations/{id}/messages"))["messages"]!.AsArray();
        var fromJson = history.Single(m => (string?)m!["clientMessageId"] == "json-1")!;
        var fromMessagePack = history.Single(m => (string?)m!["clientMessageId"] == "msgpack-1")!;
        Assert.True(JsonNode.DeepEquals(fromJson, seen["missed"]![id.ToString()]!.AsArray().Single(m => (string?)m!["clientMessageId"] == "json-1")),
            $"GetMissed over MessagePack: {seen["missed"]}\nhistory: {fromJson}");
        Assert.True(JsonNode.DeepEquals(fromMessagePack, seen["event"]), $"messageReceived over MessagePack: {seen["event"]}\nhistory: {fromMessagePack}");
        Assert.Equal((id, (long)fromMessagePack["seq"]!), (seen["ack"]!["conversationId"]!.GetValue<Guid>(), (long)seen["ack"]!["seq"]!));
        Assert.Contains("VALIDATION_ERROR", (string?)seen["refusal"]);

        var received = await alice.WaitForEventAsync("messageReceived", m => m.GetProperty("clientMessageId").GetString() == "msgpack-1", Wait);
        Assert.True(JsonNode.DeepEquals(fromMessagePack, JsonSerializer.SerializeToNode(received)), $"the JSON client got {received}");
    }

    private async Task<JsonNode> RunMessagePackClientAsync(string accessToken, Guid conversationId)
    {
        var start = new ProcessStartInfo("node", Path.Combine(RepoPaths.Root, "tests", "Chat.EndToEndTests", "Clients", "msgpack-client.cjs"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["NODE_PATH"] = Path.Combine(RepoPaths.Root, "src", "WebClient", "node_modules"),
                ["CHAT_URL"] = chat.BaseAddress.ToString().TrimEnd('/'),
                ["CHAT_TOKEN"] = accessToken,
                ["CHAT_CONVERSATION"] = conversationId.ToString(),
            },
        };
        using var node = Process.Start(start)!;
        try
        {
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(node.ExitCode == 0, $"the MessagePack client exited {node.ExitCode}: {await errors}");
            return JsonNode.Parse(await output)!;
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }
}
