using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>Both processes log to the console as JSON, one object per line, as an operator's log shipper wants.</summary>
public sealed class JsonLogDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Logging__Console__FormatterName"] = "json",
    };
}

/// <summary>
/// A client's mistake is not an operator's error: an acceptance-style run of bad requests, refusals and rate limits
/// over REST and the hub leaves no Error-level entry and no exception in the frontend's log, so a real fault stands
/// out. The log is JSON here (<c>Logging:Console:FormatterName=json</c>): every line of both processes is an entry.
/// </summary>
public sealed class ClientErrorLogTests(JsonLogDeployment chat) : IClassFixture<JsonLogDeployment>
{
    [Fact]
    public async Task ClientMistakesAreNotLoggedAsErrors()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        using var anonymous = new HttpClient { BaseAddress = chat.BaseAddress };
        var logBefore = chat.Frontend!.Output.Length;
        var group = (await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "g", memberIds = Array.Empty<Guid>() }, 201))["id"]!.GetValue<Guid>();

        var responses = new List<HttpResponseMessage>
        {
            await alice.Http.PostAsync("/api/v1/conversations/group", new StringContent("{bad json", Encoding.UTF8, "application/json")), // 400
            await alice.Http.GetAsync("/api/v1/conversations?limit=0"), // 400
            await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{group}/messages", new { clientMessageId = "x", content = "" }), // 400
            await anonymous.GetAsync("/api/v1/conversations"), // 401
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = alice.Username, password = "Wrong-pass1!" }), // 401
            await bob.Http.GetAsync($"/api/v1/conversations/{group}"), // 404
            await bob.Http.PatchAsJsonAsync($"/api/v1/conversations/{group}", new { name = "mine" }), // 404
            await alice.Http.GetAsync("/api/v1/no-such-route"), // 404
            await alice.Http.PostAsJsonAsync("/api/v1/auth/register", new { username = alice.Username, password = "Sup3r-secret!" }), // 409
            await anonymous.PostAsync("/api/v1/auth/login", new StringContent(new string('x', 300_000), Encoding.UTF8, "application/json")), // 413
            await alice.Http.PostAsync("/api/v1/attachments", new StringContent("not multipart")), // 415
        };
        Assert.All(responses, r => Assert.InRange((int)r.StatusCode, 400, 499));
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            alice.Http.PostAsJsonAsync($"/api/v1/conversations/{group}/messages", new { clientMessageId = $"burst{i}", content = "fast" })));
        Assert.Contains(burst, r => (int)r.StatusCode == 429);

        await bob.ConnectAsync();
        await Assert.ThrowsAsync<HubException>(() => bob.Hub.InvokeAsync<object>("SendMessage", new { conversationId = group, clientMessageId = "h", content = "hi" })); // NOT_FOUND
        await Assert.ThrowsAsync<HubException>(() => bob.Hub.InvokeAsync<object>("SetPresence", "dancing", null)); // VALIDATION_ERROR
        await Task.Delay(500); // the log is written asynchronously

        Assert.NotEmpty(Entries(chat.Frontend.Output)); // start-up entries at least, all of them JSON
        var entries = Entries(chat.Frontend.Output[logBefore..]);
        var offending = entries.Where(e => e.GetProperty("LogLevel").GetString() is "Error" or "Critical" || e.TryGetProperty("Exception", out _)).ToList();
        Assert.True(offending.Count == 0, string.Join('\n', offending.Take(3)));
        Assert.NotEmpty(Entries(chat.Silo!.Output));
    }

    /// <summary>Each line of a process's output parsed as one JSON log entry (a line that is not one fails the test).</summary>
    private static List<JsonElement> Entries(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
}
