using System.Net;
using System.Net.Http.Json;

namespace Chat.EndToEndTests;

/// <summary>
/// Password guessing behind an ingress: limits per client address (as the trusted proxy names it), and a backoff
/// per account that every frontend shares, so spreading guesses over addresses and nodes does not help.
/// </summary>
public sealed class SignInDefenceTests(ProxiedDeployment chat) : IClassFixture<ProxiedDeployment>
{
    private const string Password = "Sup3r-secret!";

    [Fact]
    public async Task AnAccountBacksOffAfterFailuresFromAnyAddressOnAnyFrontend()
    {
        var username = await RegisterAsync("victim");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            // A fresh address and alternating frontends: neither the per-address nor a per-node limit would see a pattern.
            var response = await LoginAsync(chat.FrontendAddresses[attempt % 2], username, "Wrong-guess-1!", $"198.51.100.{attempt + 1}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await LoginAsync(chat.FrontendAddresses[1], username, "Wrong-guess-1!", "198.51.100.50");
        var locked = await LoginAsync(chat.FrontendAddresses[0], username, Password, "198.51.100.51"); // even the right password waits
        await AttachmentTests.AssertErrorAsync(locked, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        var wait = int.Parse(locked.Headers.GetValues("Retry-After").Single());
        Assert.InRange(wait, 1, 2);

        await Task.Delay(TimeSpan.FromSeconds(wait + 0.2));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(chat.FrontendAddresses[1], username, Password, "198.51.100.52")).StatusCode);
        // A success clears the account's failures.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(chat.FrontendAddresses[0], username, "Wrong-guess-1!", "198.51.100.53")).StatusCode);
    }

    [Fact]
    public async Task SignInsAreLimitedPerClientAddressAsTheTrustedProxyNamesIt()
    {
        // All at once: one after another, each waiting for its password hash, they take long enough on a busy machine
        // for the budget to refill several times over.
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(attempt =>
            LoginAsync(chat.BaseAddress, $"nobody{attempt}x", "Wrong-guess-1!", "203.0.113.7")));
        var refused = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);

        Assert.InRange(refused, 2, 4); // 8 at once, then about one a second
        // Another client behind the same proxy has its own budget.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(chat.BaseAddress, "nobodyelse", "Wrong-guess-1!", "203.0.113.8")).StatusCode);
    }

    [Fact]
    public async Task HstsIsSentOnlyOverHttps()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        using var overHttps = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        overHttps.Headers.Add("X-Forwarded-Proto", "https");
        Assert.Equal("max-age=31536000; includeSubDomains", (await http.SendAsync(overHttps)).Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False((await http.GetAsync("/health/live")).Headers.Contains("Strict-Transport-Security"));
    }

    private async Task<string> RegisterAsync(string prefix)
    {
        var username = prefix + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register") { Content = JsonContent.Create(new { username, password = Password }) };
        request.Headers.Add("X-Forwarded-For", $"192.0.2.{Random.Shared.Next(1, 250)}");
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
        return username;
    }

    private static async Task<HttpResponseMessage> LoginAsync(Uri frontend, string username, string password, string clientAddress)
    {
        using var http = new HttpClient { BaseAddress = frontend };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await http.SendAsync(request);
    }
}
