using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>A deployment whose offline notifications go to a webhook listener of the test's own, on loopback.</summary>
public sealed class WebhookDeployment : ChatDeployment
{
    public const string Secret = "webhook-test-secret-of-at-least-32-bytes";

    public WebhookListener Webhook { get; } = new(FreePort.Next());

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Notifications__WebhookUrl"] = Webhook.Url,
        ["Chat__Notifications__Secret"] = Secret,
        ["Chat__Notifications__RetryDelay"] = "00:00:00.500",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Webhook.Dispose();
    }
}

/// <summary>Records each POST it receives; can be told to answer 500 to the next few.</summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _failuresLeft;

    public WebhookListener(int port)
    {
        Url = $"http://127.0.0.1:{port}/hooks/chat/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(string IdempotencyKey, string Signature, byte[] Body, int Answer)> Requests { get; } = new();

    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var request in Requests.Where(r => r.Answer == 200))
            {
                var body = JsonDocument.Parse(request.Body).RootElement;
                if (match(body))
                {
                    return body;
                }
            }

            await Task.Delay(100); // requests arrive from the silo process: nothing to await here
        }

        throw new TimeoutException("No matching webhook delivery.");
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var answer = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 200;
            Requests.Enqueue((context.Request.Headers["Idempotency-Key"] ?? "", context.Request.Headers["X-Chat-Signature"] ?? "", body.ToArray(), answer));
            context.Response.StatusCode = answer;
            context.Response.Close();
        }
    }
}

/// <summary>Offline members get a webhook notification (signed, retried); members with a live session do not.</summary>
public sealed class NotificationTests(WebhookDeployment chat) : IClassFixture<WebhookDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OfflineMembersAreNotifiedThroughTheWebhookAndOnlineOnesAreNot()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        var path = $"/api/v1/conversations/{id}/messages";

        await alice.PostJsonAsync(path, new { clientMessageId = "1", content = "are you there?" }, 201);
        var first = await chat.Webhook.WaitForAsync(b => b.GetProperty("conversationId").GetGuid() == id && b.GetProperty("seq").GetInt64() == 1, Wait);
        Assert.Equal([bob.Id], first.GetProperty("recipients").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal("are you there?", first.GetProperty("preview").GetString());
        Assert.Equal(alice.Id, first.GetProperty("senderId").GetGuid());
        var delivered = chat.Webhook.Requests.First(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("seq").GetInt64() == 1
            && JsonDocument.Parse(r.Body).RootElement.GetProperty("conversationId").GetGuid() == id);
        // t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">: a receiver can refuse replays older than a few minutes.
        var parts = delivered.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts["t"]));
        Assert.InRange(signedAt, DateTimeOffset.UtcNow - Wait - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        var signed = Encoding.UTF8.GetBytes($"{parts["t"]}.").Concat(delivered.Body).ToArray();
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookDeployment.Secret), signed)), parts["v1"]);

        await bob.ConnectAsync();
        await alice.PostJsonAsync(path, new { clientMessageId = "2", content = "you are online now" }, 201);
        await bob.WaitForMessagesAsync(id, 1, Wait);
        await bob.DisconnectAsync();
        await WaitUntilOfflineAsync(alice, bob.Id); // the presence grain hears of the disconnect
        await alice.PostJsonAsync(path, new { clientMessageId = "3", content = "gone again" }, 201);
        await chat.Webhook.WaitForAsync(b => b.GetProperty("conversationId").GetGuid() == id && b.GetProperty("seq").GetInt64() == 3, Wait);

        Assert.DoesNotContain(chat.Webhook.Requests, r =>
            JsonDocument.Parse(r.Body).RootElement is var b && b.GetProperty("conversationId").GetGuid() == id && b.GetProperty("seq").GetInt64() == 2);
    }

    private static async Task WaitUntilOfflineAsync(ChatUser viewer, Guid userId)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await viewer.GetJsonAsync($"/api/v1/users/{userId}/presence"))["status"]!.GetValue<string>() != "offline")
        {
            Assert.True(DateTime.UtcNow < deadline, "The user did not go offline.");
            await Task.Delay(50); // presence is a state in another process: poll it
        }
    }

    [Fact]
    public async Task AFailedDeliveryIsRetriedWithTheSameIdempotencyKey()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var id = await AttachmentTests.GroupAsync(alice, bob);
        chat.Webhook.FailNext(2);

        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "r", content = "retry me" }, 201);
        await chat.Webhook.WaitForAsync(b => b.GetProperty("conversationId").GetGuid() == id, Wait);

        var attempts = chat.Webhook.Requests.Where(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("conversationId").GetGuid() == id).ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.Answer));
        Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(chat.SiloMetrics);
        Assert.True(MetricsTests.Value(metrics, "chat_notifications_attempts_total", "chat_outcome=\"retry\"") >= 2, "retries counted");
        Assert.True(MetricsTests.Value(metrics, "chat_notifications_attempts_total", "chat_outcome=\"delivered\"") >= 1, "deliveries counted");
        Assert.Contains("\nchat_notifications_outbox_pending", metrics);
    }

    [Fact]
    public async Task AMutedConversationNotifiesOnlyWhenTheMemberIsMentioned()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        var id = await AttachmentTests.GroupAsync(alice, carol);
        var muted = await carol.Http.PatchAsync($"/api/v1/conversations/{id}", System.Net.Http.Json.JsonContent.Create(new { muted = true }));
        Assert.Equal(HttpStatusCode.OK, muted.StatusCode);

        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "quiet", content = "nothing urgent" }, 201);
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "loud", content = $"@{carol.Username} urgent" }, 201);
        var mention = await chat.Webhook.WaitForAsync(b => b.GetProperty("conversationId").GetGuid() == id, Wait);

        Assert.Equal(2, mention.GetProperty("seq").GetInt64());
        Assert.Equal([carol.Id], mention.GetProperty("mentions").EnumerateArray().Select(m => m.GetGuid()));
    }
}
