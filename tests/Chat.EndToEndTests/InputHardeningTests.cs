using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>
/// Input that would cost Chat memory, storage or its users' trust is refused at the edge with the API.md error body:
/// oversized bodies, malformed login names, padded messages, and names that hide control or bidi characters.
/// </summary>
public sealed class InputHardeningTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    [Fact]
    public async Task ALoginWithAMalformedUsernameIsRefusedBeforeAnyLimiterKeepsIt()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        var username = new string('x', 40_000); // a key the failed-login limiter would otherwise hold for 15 minutes
        for (var attempt = 0; attempt < 7; attempt++)
        {
            var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { username, password = "wrong" });
            await AttachmentTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        }
    }

    [Fact]
    public async Task JsonBodiesOverTheCapAreRefusedAs413()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        var huge = new { username = new string('x', 2 * 1024 * 1024), password = "wrong" };
        await AttachmentTests.AssertErrorAsync(await http.PostAsJsonAsync("/api/v1/auth/login", huge), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");

        // Without a Content-Length the cap still holds while the body streams in.
        var chunked = new StringContent(await JsonContent.Create(huge).ReadAsStringAsync(), Encoding.UTF8, "application/json");
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AttachmentTests.AssertErrorAsync(await http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task AHubMessageOverItsCapClosesOnlyThatConnection()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await alice.ConnectAsync();
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "cap", memberIds = Array.Empty<Guid>() }, 201);
        var closed = new TaskCompletionSource<Exception?>();
        alice.Hub.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };

        var send = alice.Hub.InvokeAsync<JsonObject>("SendMessage", group["id"]!.GetValue<Guid>(),
            new { clientMessageId = "big", content = new string('x', 200_000) });
        await Assert.ThrowsAnyAsync<Exception>(() => send);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await alice.PostJsonAsync($"/api/v1/conversations/{group["id"]}/messages", new { clientMessageId = "small", content = "still here" }, 201);
    }

    [Fact]
    public async Task MessagesAreStoredTrimmedSoPaddingCannotCarryMegabytes()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "pad", memberIds = Array.Empty<Guid>() }, 201);
        var messages = $"/api/v1/conversations/{group["id"]}/messages";

        var sent = await alice.PostJsonAsync(messages, new { clientMessageId = "pad", content = "  hi" + new string(' ', 100_000) }, 201);
        Assert.Equal("hi", sent["content"]!.GetValue<string>());
        var seq = sent["seq"]!.GetValue<long>();
        var edited = await alice.Http.PatchAsJsonAsync($"{messages}/{seq}", new { content = "hello" + new string('\n', 50_000) });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        var history = await alice.GetJsonAsync(messages);
        Assert.Equal("hello", history["messages"]!.AsArray().Single()!["content"]!.GetValue<string>());
    }

    public static TheoryData<string> HiddenCharacters => ["evil\u202Egnp.exe", "bell\u0007", "line\nbreak", "isolate\u2066x\u2069", "nul\0", "lone\uD800surrogate"];

    [Theory]
    [MemberData(nameof(HiddenCharacters))]
    public async Task NamesWithControlOrBidiCharactersAreRefused(string name)
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        using var anonymous = new HttpClient { BaseAddress = chat.BaseAddress };
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "plain", memberIds = Array.Empty<Guid>() }, 201);

        await AttachmentTests.AssertErrorAsync(await alice.Http.PatchAsJsonAsync("/api/v1/users/me", new { displayName = name }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await alice.Http.PatchAsJsonAsync("/api/v1/users/me", new { statusMessage = name }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await alice.Http.PostAsJsonAsync("/api/v1/conversations/group", new { name, memberIds = Array.Empty<Guid>() }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await alice.Http.PatchAsJsonAsync($"/api/v1/conversations/{group["id"]}", new { name }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { username = "hidden" + Guid.NewGuid().ToString("N")[..8], password = "Sup3r-secret!", displayName = name }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var profile = await alice.GetJsonAsync("/api/v1/users/me");
        Assert.Equal(alice.Username, profile["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task TextWithALoneSurrogateOrNulIsRefusedNotA500()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "utf", memberIds = Array.Empty<Guid>() }, 201);
        var body = new StringContent("{\"clientMessageId\":\"s\",\"content\":\"a\\ud800b\"}", Encoding.UTF8, "application/json");
        await AttachmentTests.AssertErrorAsync(await alice.Http.PostAsync($"/api/v1/conversations/{group["id"]}/messages", body), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        // PostgreSQL text cannot hold NUL: refused as bad input, never a database error.
        await AttachmentTests.AssertErrorAsync(await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{group["id"]}/messages", new { clientMessageId = "n", content = "a\0b" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{group["id"]}/messages", new { clientMessageId = "n\0", content = "ab" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/api/v1/search/messages?q=%ED%A0%80")).StatusCode);
        await AttachmentTests.AssertErrorAsync(await alice.Http.GetAsync("/api/v1/search/messages?q=a%00b"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await alice.Http.GetAsync("/api/v1/users/search?q=a%00b"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
