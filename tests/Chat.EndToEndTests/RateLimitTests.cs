using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>
/// The limits of API.md: a burst of 20 messages and 200 requests per user, 5 failed logins per 15 min. The buckets
/// refill at one a second here (10 and 100 by default), so that no test depends on how fast this machine is.
/// </summary>
public sealed class RateLimitTests(SlowRefillDeployment chat) : IClassFixture<SlowRefillDeployment>
{
    [Fact]
    public async Task SendingFasterThanTheLimitIs429WithRetryAfterAcrossRestAndTheHub()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var id = await AttachmentTests.GroupAsync(alice);
        await alice.ConnectAsync();
        Task<HttpResponseMessage> Post(string clientMessageId) =>
            alice.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId, content = "fast" });

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Post($"burst-{i}")));
        Assert.All(burst, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        // The bucket refills one a second, so a refusal must come within 11 more sends.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 11 && refused is null; i++)
        {
            var response = await Post($"more-{i}");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        await AttachmentTests.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) >= 1);

        // The hub draws on the same bucket: a separate one would still hold 20.
        HubException? hubRefused = null;
        for (var i = 0; i < 11 && hubRefused is null; i++)
        {
            try
            {
                await alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = id, clientMessageId = $"hub-{i}", content = "too fast" });
            }
            catch (HubException e)
            {
                hubRefused = e;
            }
        }

        Assert.NotNull(hubRefused);
        Assert.Contains("HubException: RATE_LIMIT_EXCEEDED", hubRefused.Message);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the bucket refills within a second
        await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "later", content = "calmer" }, 201);
    }

    [Fact]
    public async Task ForwardingDrawsOneSendPerTargetFromTheSameBucket()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var source = await AttachmentTests.GroupAsync(alice);
        var targets = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => AttachmentTests.GroupAsync(alice)));
        await alice.PostJsonAsync($"/api/v1/conversations/{source}/messages", new { clientMessageId = "original", content = "pass it on" }, 201);

        // 1 send so far; 15 copies leave 4 of the burst of 20, so a second fan-out of 15 cannot fit.
        await alice.PostJsonAsync($"/api/v1/conversations/{source}/messages/1/forward", new { toConversationIds = targets }, 200);
        var again = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{source}/messages/1/forward", new { toConversationIds = targets });
        await AttachmentTests.AssertErrorAsync(again, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
    }

    [Fact]
    public async Task AnyRouteRefusesAUserWhoFloodsIt()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        // 500 cheap requests at once against a budget of 200 plus one a second.
        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => alice.Http.GetAsync("/api/v1/no-such-route")));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        await AttachmentTests.AssertErrorAsync(refused[0], HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.True(refused[0].Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task FiveFailedLoginsLockThatUsernameFromThisAddress()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        for (var i = 0; i < 5; i++)
        {
            // No proxy is configured here: a client naming itself in X-Forwarded-For is not believed.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = JsonContent.Create(new { username = alice.Username, password = "Wrong-pass1!" }),
            };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            var wrong = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var locked = await http.PostAsJsonAsync("/api/v1/auth/login", new { username = alice.Username.ToUpperInvariant(), password = "Sup3r-secret!" });
        await AttachmentTests.AssertErrorAsync(locked, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.True(int.Parse(locked.Headers.GetValues("Retry-After").Single()) > 60);

        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob"); // other names are not affected
        var fine = await http.PostAsJsonAsync("/api/v1/auth/login", new { username = bob.Username, password = "Sup3r-secret!" });
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }
}
