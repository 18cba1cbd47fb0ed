using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>
/// Who may do what: every REST route and hub method of a user, tried by each kind of caller (anonymous, a stranger,
/// a user the owner blocked, a member, an admin, the owner), each time on a fresh group (an owner, an admin, a
/// member, a target member and a target admin; one message by the target), against the rules of API.md:
/// non-members always get 404 for a conversation, roles decide the rest, and blocks close the personal routes.
/// An outcome is the HTTP status, or for the hub "ok" or the error code the HubException starts with.
/// </summary>
public sealed class AuthorizationMatrixTests(BulkSendDeployment chat) : IClassFixture<BulkSendDeployment>
{
    public enum Caller { Anonymous, Stranger, Blocked, Member, Admin, Owner }

    private sealed record World(ChatUser Owner, ChatUser Admin, ChatUser Member, ChatUser Stranger, ChatUser Blocked,
        ChatUser TargetMember, ChatUser TargetAdmin, ChatUser Newcomer);

    /// <summary>One attempt: the fresh group, the world, and the caller (null: anonymous), with its HTTP client.</summary>
    private sealed record Attempt(Guid Group, long Seq, World World, ChatUser? Caller, HttpClient Http)
    {
        public string Messages => $"/api/v1/conversations/{Group}/messages";

        public Guid CallerId => Caller?.Id ?? Guid.NewGuid();
    }

    private sealed record Case(string Name, Func<Attempt, Task<string>> Run, Dictionary<Caller, string> Expected);

    private const string Ok = "ok";

    /// <summary>A conversation route: anonymous 401, the stranger and the blocked user get <paramref name="outsider"/>.</summary>
    private static Dictionary<Caller, string> Conv(object outsider, object member, object admin, object owner) => new()
    {
        [Caller.Anonymous] = "401", [Caller.Stranger] = $"{outsider}", [Caller.Blocked] = $"{outsider}",
        [Caller.Member] = $"{member}", [Caller.Admin] = $"{admin}", [Caller.Owner] = $"{owner}",
    };

    /// <summary>A personal route: anonymous 401, every signed-in caller the same.</summary>
    private static Dictionary<Caller, string> Mine(object status) => Person(status, status, status);

    /// <summary>A route about the owner: the blocked user and the owner (about themself) may differ from the rest.</summary>
    private static Dictionary<Caller, string> Person(object others, object blocked, object owner) => new()
    {
        [Caller.Anonymous] = "401", [Caller.Stranger] = $"{others}", [Caller.Blocked] = $"{blocked}",
        [Caller.Member] = $"{others}", [Caller.Admin] = $"{others}", [Caller.Owner] = $"{owner}",
    };

    /// <summary>A hub method on the group (anonymous callers cannot connect at all: checked once).</summary>
    private static Dictionary<Caller, string> Hub(string outsider, string member, string admin, string owner) =>
        new(Conv(outsider, member, admin, owner).Where(e => e.Key != Caller.Anonymous));

    private static readonly Case[] Rest =
    [
        // Conversations and members
        new("GET conversation", a => Get(a, $"/api/v1/conversations/{a.Group}"), Conv(404, 200, 200, 200)),
        new("PATCH name", a => Send(a, HttpMethod.Patch, $"/api/v1/conversations/{a.Group}", new { name = "renamed" }), Conv(404, 403, 200, 200)),
        new("PATCH muted", a => Send(a, HttpMethod.Patch, $"/api/v1/conversations/{a.Group}", new { muted = true }), Conv(404, 200, 200, 200)),
        new("POST members", a => Send(a, HttpMethod.Post, $"/api/v1/conversations/{a.Group}/members", new { userIds = new[] { a.World.Newcomer.Id } }), Conv(404, 403, 200, 200)),
        new("DELETE a member", a => Send(a, HttpMethod.Delete, $"/api/v1/conversations/{a.Group}/members/{a.World.TargetMember.Id}"), Conv(404, 403, 204, 204)),
        new("DELETE an admin", a => Send(a, HttpMethod.Delete, $"/api/v1/conversations/{a.Group}/members/{a.World.TargetAdmin.Id}"), Conv(404, 403, 403, 204)),
        new("DELETE self (leave)", a => Send(a, HttpMethod.Delete, $"/api/v1/conversations/{a.Group}/members/{a.CallerId}"), Conv(404, 204, 204, 204)),
        new("PATCH role", a => Send(a, HttpMethod.Patch, $"/api/v1/conversations/{a.Group}/members/{a.World.TargetMember.Id}", new { role = "admin" }), Conv(404, 403, 403, 200)),
        new("POST read", a => Send(a, HttpMethod.Post, $"/api/v1/conversations/{a.Group}/read", new { seq = a.Seq }), Conv(404, 204, 204, 204)),
        new("POST delivered", a => Send(a, HttpMethod.Post, $"/api/v1/conversations/{a.Group}/delivered", new { seq = a.Seq }), Conv(404, 204, 204, 204)),
        new("GET receipts", a => Get(a, $"/api/v1/conversations/{a.Group}/receipts"), Conv(404, 200, 200, 200)),
        new("GET changes", a => Get(a, $"/api/v1/conversations/{a.Group}/changes?since=0"), Conv(404, 200, 200, 200)),
        // Messages
        new("POST message", a => Send(a, HttpMethod.Post, a.Messages, new { clientMessageId = "m", content = "hi" }), Conv(404, 201, 201, 201)),
        new("POST scheduled message", a => Send(a, HttpMethod.Post, a.Messages, new { clientMessageId = "s", content = "later", scheduledFor = DateTimeOffset.UtcNow.AddHours(1) }), Conv(404, 202, 202, 202)),
        new("GET scheduled", a => Get(a, $"/api/v1/conversations/{a.Group}/scheduled"), Conv(404, 200, 200, 200)),
        new("DELETE the target's scheduled message", async a => await Send(a, HttpMethod.Delete, $"/api/v1/conversations/{a.Group}/scheduled/{await ScheduleByTargetAsync(a)}"), Conv(404, 404, 404, 404)),
        new("GET messages", a => Get(a, a.Messages), Conv(404, 200, 200, 200)),
        new("GET one message", a => Get(a, $"{a.Messages}/{a.Seq}"), Conv(404, 200, 200, 200)),
        new("GET edits", a => Get(a, $"{a.Messages}/{a.Seq}/edits"), Conv(404, 200, 200, 200)),
        new("PATCH others' message", a => Send(a, HttpMethod.Patch, $"{a.Messages}/{a.Seq}", new { content = "edited" }), Conv(404, 403, 403, 403)),
        new("DELETE others' message for everyone", a => Send(a, HttpMethod.Delete, $"{a.Messages}/{a.Seq}?scope=everyone"), Conv(404, 403, 204, 204)),
        new("DELETE a message for me", a => Send(a, HttpMethod.Delete, $"{a.Messages}/{a.Seq}?scope=me"), Conv(404, 204, 204, 204)),
        new("PUT reaction", a => Send(a, HttpMethod.Put, $"{a.Messages}/{a.Seq}/reactions/%F0%9F%91%8D"), Conv(404, 204, 204, 204)),
        new("DELETE reaction", a => Send(a, HttpMethod.Delete, $"{a.Messages}/{a.Seq}/reactions/%F0%9F%91%8D"), Conv(404, 204, 204, 204)),
        new("POST forward", a => Send(a, HttpMethod.Post, $"{a.Messages}/{a.Seq}/forward", new { toConversationIds = new[] { a.Group } }), Conv(404, 200, 200, 200)),
        new("GET search in the group", a => Get(a, $"/api/v1/search/messages?q=target&conversationId={a.Group}"), Conv(404, 200, 200, 200)),
        // Attachments
        new("POST attachment", a => Send(a, HttpMethod.Post, "/api/v1/attachments", Multipart(a.Group)), Conv(404, 201, 201, 201)),
        new("POST upload", a => Send(a, HttpMethod.Post, "/api/v1/uploads", new { conversationId = a.Group, fileName = "big.txt", contentType = "text/plain", size = 10 }), Conv(404, 201, 201, 201)),
        new("GET attachment", async a => await Get(a, await AttachmentByTargetAsync(a)), Conv(404, 200, 200, 200)),
        new("GET attachment with one's own ticket", async a => await TicketedGetAsync(a, await AttachmentByTargetAsync(a)), Conv(404, 200, 200, 200)),
        new("PUT a chunk of the target's upload", async a => await Send(a, HttpMethod.Put, $"/api/v1/uploads/{await UploadByTargetAsync(a)}/chunks/0", new ByteArrayContent(new byte[10])), Conv(404, 404, 404, 404)),
        new("POST complete the target's upload", async a => await Send(a, HttpMethod.Post, $"/api/v1/uploads/{await UploadByTargetAsync(a)}/complete", new { }), Conv(404, 404, 404, 404)),
        // About the owner: blocks close what a blocked user could reach
        new("GET the owner", a => Get(a, $"/api/v1/users/{a.World.Owner.Id}"), Person(200, 200, 200)),
        new("GET the owner's presence", a => Get(a, $"/api/v1/users/{a.World.Owner.Id}/presence"), Person(200, 200, 200)),
        new("POST contact request to the owner", a => Send(a, HttpMethod.Post, "/api/v1/contacts", new { userId = a.World.Owner.Id }), Person(201, 403, 400)),
        new("POST direct with the owner", a => Send(a, HttpMethod.Post, "/api/v1/conversations/direct", new { userId = a.World.Owner.Id }), Person(201, 403, 400)),
        new("POST group holding the owner", a => Send(a, HttpMethod.Post, "/api/v1/conversations/group", new { name = "with owner", memberIds = new[] { a.World.Owner.Id } }), Person(201, 403, 201)),
        new("POST report about the owner", a => Send(a, HttpMethod.Post, "/api/v1/reports", new { userId = a.World.Owner.Id, reason = "spam" }), Person(201, 201, 201)),
        // The caller's own things
        new("GET me", a => Get(a, "/api/v1/users/me"), Mine(200)),
        new("PATCH me", a => Send(a, HttpMethod.Patch, "/api/v1/users/me", new { statusMessage = "here" }), Mine(200)),
        new("DELETE my avatar", a => Send(a, HttpMethod.Delete, "/api/v1/users/me/avatar"), Mine(204)),
        new("GET my privacy", a => Get(a, "/api/v1/users/me/privacy"), Mine(200)),
        new("PUT my privacy", a => Send(a, HttpMethod.Put, "/api/v1/users/me/privacy", new { allowGroupAddsFrom = "anyone" }), Mine(200)),
        new("GET conversations", a => Get(a, "/api/v1/conversations"), Mine(200)),
        new("GET sync", a => Get(a, "/api/v1/sync"), Mine(200)),
        new("GET contacts", a => Get(a, "/api/v1/contacts"), Mine(200)),
        new("GET pending contacts", a => Get(a, "/api/v1/contacts/pending"), Mine(200)),
        new("POST accept a request nobody sent", a => Send(a, HttpMethod.Post, $"/api/v1/contacts/{a.World.Newcomer.Id}/accept", new { }), Mine(404)),
        new("DELETE a contact one does not have", a => Send(a, HttpMethod.Delete, $"/api/v1/contacts/{a.World.Newcomer.Id}"), Mine(404)),
        new("GET blocks", a => Get(a, "/api/v1/blocks"), Mine(200)),
        new("PUT and DELETE a block", async a => await Send(a, HttpMethod.Put, $"/api/v1/blocks/{a.World.Newcomer.Id}") is var put && put != "204" ? put : await Send(a, HttpMethod.Delete, $"/api/v1/blocks/{a.World.Newcomer.Id}"), Mine(204)),
        new("GET user search", a => Get(a, "/api/v1/users/search?q=own"), Mine(200)),
        new("GET message search", a => Get(a, "/api/v1/search/messages?q=target"), Mine(200)),
        new("POST ticket", a => Send(a, HttpMethod.Post, "/api/v1/tickets", new { url = $"/api/v1/users/{a.World.Owner.Id}/avatar" }), Mine(200)),
    ];

    private static readonly Case[] HubCases =
    [
        new("SendMessage", a => Invoke(a, "SendMessage", new { conversationId = a.Group, clientMessageId = "h", content = "hub" }), Hub("NOT_FOUND", Ok, Ok, Ok)),
        new("EditMessage of others", a => Invoke(a, "EditMessage", a.Group, a.Seq, "edited"), Hub("NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN")),
        new("DeleteMessage of others for everyone", a => Invoke(a, "DeleteMessage", a.Group, a.Seq, "everyone"), Hub("NOT_FOUND", "FORBIDDEN", Ok, Ok)),
        new("AddReaction", a => Invoke(a, "AddReaction", a.Group, a.Seq, "👍"), Hub("NOT_FOUND", Ok, Ok, Ok)),
        new("RemoveReaction", a => Invoke(a, "RemoveReaction", a.Group, a.Seq, "👍"), Hub("NOT_FOUND", Ok, Ok, Ok)),
        new("StartTyping", a => Invoke(a, "StartTyping", a.Group), Hub("NOT_FOUND", Ok, Ok, Ok)),
        new("StopTyping", a => Invoke(a, "StopTyping", a.Group), Hub(Ok, Ok, Ok, Ok)), // a no-op that reveals nothing
        new("SetPresence", a => Invoke(a, "SetPresence", "busy", "meeting"), Hub(Ok, Ok, Ok, Ok)),
        new("MarkDelivered", a => Invoke(a, "MarkDelivered", a.Group, a.Seq), Hub("NOT_FOUND", Ok, Ok, Ok)),
        new("MarkRead", a => Invoke(a, "MarkRead", a.Group, a.Seq), Hub("NOT_FOUND", Ok, Ok, Ok)),
        new("GetMissed", a => CatchUpAsync(a, "GetMissed", r => r.TryGetProperty(a.Group.ToString(), out _)), Hub("left out", "included", "included", "included")),
        new("GetChanges", a => CatchUpAsync(a, "GetChanges", r => r.GetProperty(a.Group.ToString()).GetProperty("isMember").GetBoolean()), Hub("left out", "included", "included", "included")),
    ];

    [Fact]
    public async Task EveryRestRouteAnswersEachKindOfCallerAsTheContractSays()
    {
        await using var world = await WorldAsync();
        var failures = new List<string>();
        foreach (var @case in Rest)
        {
            foreach (var (caller, expected) in @case.Expected)
            {
                var attempt = await AttemptAsync(world.Value, caller);
                var outcome = await @case.Run(attempt);
                if (outcome != expected)
                {
                    failures.Add($"{@case.Name} as {caller}: expected {expected}, got {outcome}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryHubMethodAnswersEachKindOfCallerAsTheContractSays()
    {
        await using var world = await WorldAsync();
        await using (var anonymous = new HubConnectionBuilder().WithUrl(new Uri(chat.BaseAddress, "/hubs/chat")).Build())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var w = world.Value;
        foreach (var user in new[] { w.Owner, w.Admin, w.Member, w.Stranger, w.Blocked })
        {
            await user.ConnectAsync();
        }

        var failures = new List<string>();
        foreach (var @case in HubCases)
        {
            foreach (var (caller, expected) in @case.Expected)
            {
                var attempt = await AttemptAsync(w, caller);
                if (caller is Caller.Member or Caller.Admin or Caller.Owner)
                {
                    await attempt.Caller!.WaitForMessagesAsync(attempt.Group, 1, TimeSpan.FromSeconds(10)); // its connection has joined the group
                }

                var outcome = await @case.Run(attempt);
                if (outcome != expected)
                {
                    failures.Add($"{@case.Name} as {caller}: expected {expected}, got {outcome}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Everyone of the matrix, registered once per test; the owner has blocked the blocked user.</summary>
    private async Task<Disposing<World>> WorldAsync()
    {
        var names = new[] { "owner", "admin", "member", "stranger", "blocked", "target", "targetadmin", "newcomer" };
        var u = await Task.WhenAll(names.Select(n => ChatUser.RegisterAsync(chat.BaseAddress, n)));
        var world = new World(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]);
        Assert.Equal(HttpStatusCode.NoContent, (await world.Owner.Http.PutAsync($"/api/v1/blocks/{world.Blocked.Id}", null)).StatusCode);
        return new Disposing<World>(world, u);
    }

    /// <summary>A fresh group for one attempt: owner, an admin, a member, a target member and a target admin; one message by the target.</summary>
    private async Task<Attempt> AttemptAsync(World w, Caller caller)
    {
        var group = await w.Owner.PostJsonAsync("/api/v1/conversations/group",
            new { name = "rules", memberIds = new[] { w.Admin.Id, w.Member.Id, w.TargetMember.Id, w.TargetAdmin.Id } }, 201);
        var id = group["id"]!.GetValue<Guid>();
        foreach (var admin in new[] { w.Admin, w.TargetAdmin })
        {
            Assert.Equal(HttpStatusCode.OK, (await w.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/members/{admin.Id}", new { role = "admin" })).StatusCode);
        }

        var message = await w.TargetMember.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "target", content = "by the target" }, 201);
        var user = caller switch
        {
            Caller.Stranger => w.Stranger,
            Caller.Blocked => w.Blocked,
            Caller.Member => w.Member,
            Caller.Admin => w.Admin,
            Caller.Owner => w.Owner,
            _ => null,
        };
        return new Attempt(id, message["seq"]!.GetValue<long>(), w, user, user?.Http ?? new HttpClient { BaseAddress = chat.BaseAddress });
    }

    private static Task<string> Get(Attempt a, string path) => Send(a, HttpMethod.Get, path);

    private static async Task<string> Send(Attempt a, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body as HttpContent ?? (body is null ? null : JsonContent.Create(body)) };
        using var response = await a.Http.SendAsync(request);
        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            // Every refusal carries the API.md error body with the code of its status.
            var code = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["error"]?["code"]?.GetValue<string>();
            var expectedCode = status switch { 400 => "VALIDATION_ERROR", 401 => "UNAUTHORIZED", 403 => "FORBIDDEN", 404 => "NOT_FOUND", _ => "?" };
            return code == expectedCode ? $"{status}" : $"{status} with code {code}";
        }

        return $"{status}";
    }

    private static async Task<string> Invoke(Attempt a, string method, params object?[] args)
    {
        try
        {
            await a.Caller!.Hub.InvokeCoreAsync(method, args);
            return Ok;
        }
        catch (HubException e)
        {
            var message = e.Message[(e.Message.IndexOf("HubException: ", StringComparison.Ordinal) + 14)..];
            return message.Split(':')[0];
        }
    }

    private static async Task<string> CatchUpAsync(Attempt a, string method, Func<JsonElement, bool> included)
    {
        var answer = await a.Caller!.Hub.InvokeAsync<JsonElement>(method, new Dictionary<Guid, long> { [a.Group] = 0 });
        return included(answer) ? "included" : "left out";
    }

    private static HttpContent Multipart(Guid conversationId) => new MultipartFormDataContent
    {
        { new StringContent(conversationId.ToString()), "conversationId" },
        { new ByteArrayContent("plain notes"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", "notes.txt" },
    };

    private static async Task<string> AttachmentByTargetAsync(Attempt a)
    {
        using var response = await a.World.TargetMember.Http.PostAsync("/api/v1/attachments", Multipart(a.Group));
        return JsonNode.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
    }

    private static async Task<Guid> UploadByTargetAsync(Attempt a) =>
        (await a.World.TargetMember.PostJsonAsync("/api/v1/uploads", new { conversationId = a.Group, fileName = "big.txt", contentType = "text/plain", size = 10 }, 201))["uploadId"]!.GetValue<Guid>();

    private static async Task<Guid> ScheduleByTargetAsync(Attempt a) =>
        (await a.World.TargetMember.PostJsonAsync(a.Messages, new { clientMessageId = "later", content = "later", scheduledFor = DateTimeOffset.UtcNow.AddHours(1) }, 202))["scheduledId"]!.GetValue<Guid>();

    /// <summary>The caller asks for a ticket for the URL, then fetches it without any header.</summary>
    private static async Task<string> TicketedGetAsync(Attempt a, string url)
    {
        using var ticket = await a.Http.PostAsJsonAsync("/api/v1/tickets", new { url });
        if (!ticket.IsSuccessStatusCode)
        {
            return $"{(int)ticket.StatusCode}";
        }

        using var bare = new HttpClient { BaseAddress = a.Http.BaseAddress };
        var ticketed = JsonNode.Parse(await ticket.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
        return await Send(a with { Http = bare }, HttpMethod.Get, ticketed);
    }

    private sealed class Disposing<T>(T value, IEnumerable<ChatUser> users) : IAsyncDisposable
    {
        public T Value => value;

        public async ValueTask DisposeAsync()
        {
            foreach (var user in users)
            {
                await user.DisposeAsync();
            }
        }
    }
}
