using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Chat.EndToEndTests;

/// <summary>The REST edges of API.md: error bodies and codes, and refresh-token rotation with reuse detection.</summary>
public sealed class RestContractTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    [Fact]
    public async Task BadRequestsGetTheErrorBodyWithTheApiCodeNeverA500()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var anonymous = new HttpClient { BaseAddress = chat.BaseAddress };
        var cases = new (Func<Task<HttpResponseMessage>> Request, HttpStatusCode Status, string Code)[]
        {
            (() => alice.Http.PostAsync("/api/v1/conversations/group", new StringContent("{bad json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (() => alice.Http.PostAsync("/api/v1/conversations/group", new StringContent("", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (() => alice.Http.PostAsJsonAsync("/api/v1/conversations/group", new { name = "", memberIds = Array.Empty<Guid>() }), HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (() => alice.Http.GetAsync("/api/v1/conversations?limit=0"), HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (() => alice.Http.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/messages?before=x"), HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (() => alice.Http.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND"),
            (() => alice.Http.GetAsync("/api/v1/no-such-route"), HttpStatusCode.NotFound, "NOT_FOUND"),
            (() => alice.Http.DeleteAsync("/api/v1/users/me"), HttpStatusCode.NotFound, "NOT_FOUND"),
            (() => anonymous.GetAsync("/api/v1/conversations"), HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            (() => anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username = alice.Username.ToUpperInvariant(), password = "Sup3r-secret!" }), HttpStatusCode.Conflict, "CONFLICT"),
            (() => anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username = "weak" + Guid.NewGuid().ToString("N")[..6], password = "password" }), HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
        };

        foreach (var (request, status, code) in cases)
        {
            var response = await request();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: expected {status}, got {response.StatusCode}: {body}");
            Assert.Equal(code, JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
            // Error answers too carry the security headers (an error handler must not clear them).
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public async Task ARefreshTokenIsSpentOnUseAndReusingItRevokesTheWholeFamily()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        var username = "rotate" + Guid.NewGuid().ToString("N")[..8];
        var registered = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register", new { username, password = "Sup3r-secret!" }));
        var first = registered["refreshToken"]!.GetValue<string>();

        var rotated = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        var second = (await ReadAsync(rotated))["refreshToken"]!.GetValue<string>();
        var reuse = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        var afterReuse = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = second });
        var login = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { username, password = "Sup3r-secret!" }));
        var logout = await http.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = login["refreshToken"]!.GetValue<string>() });
        var afterLogout = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = login["refreshToken"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReuse.StatusCode); // the thief's fresh token dies with the family
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    /// <summary>The JSON body of a successful answer (the test fails with the body otherwise).</summary>
    internal static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }
}
