using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Chat.EndToEndTests;

/// <summary>
/// Who may do what to a group, over REST: every route that changes or reads a group, tried by each kind of caller
/// on a fresh group (owner, an admin, a member, and a target member and target admin), against the rules of API.md.
/// </summary>
public sealed class PermissionTests(BulkSendDeployment chat) : IClassFixture<BulkSendDeployment>
{
    public enum Caller { Anonymous, Outsider, Member, Admin, Owner }

    private sealed record Group(Guid Id, long Seq);

    private sealed record Case(string Name, Func<Group, Users, HttpClient, Task<HttpResponseMessage>> Request, Dictionary<Caller, HttpStatusCode> Expected);

    private sealed record Users(ChatUser Owner, ChatUser Admin, ChatUser Member, ChatUser Outsider, ChatUser TargetMember, ChatUser TargetAdmin, ChatUser Newcomer);

    private static Dictionary<Caller, HttpStatusCode> Expect(HttpStatusCode outsider, HttpStatusCode member, HttpStatusCode admin, HttpStatusCode owner) => new()
    {
        [Caller.Anonymous] = HttpStatusCode.Unauthorized, [Caller.Outsider] = outsider, [Caller.Member] = member, [Caller.Admin] = admin, [Caller.Owner] = owner,
    };

    private static readonly HttpStatusCode Ok = HttpStatusCode.OK, NoContent = HttpStatusCode.NoContent, Created = HttpStatusCode.Created,
        NotFound = HttpStatusCode.NotFound, Forbidden = HttpStatusCode.Forbidden;

    private static readonly Case[] Cases =
    [
        new("GET conversation", (g, _, http) => http.GetAsync($"/api/v1/conversations/{g.Id}"), Expect(NotFound, Ok, Ok, Ok)),
        new("GET messages", (g, _, http) => http.GetAsync($"/api/v1/conversations/{g.Id}/messages"), Expect(NotFound, Ok, Ok, Ok)),
        new("POST message", (g, _, http) => http.PostAsJsonAsync($"/api/v1/conversations/{g.Id}/messages", new { clientMessageId = Guid.NewGuid().ToString(), content = "hi" }), Expect(NotFound, Created, Created, Created)),
        new("PATCH name", (g, _, http) => http.PatchAsJsonAsync($"/api/v1/conversations/{g.Id}", new { name = "renamed" }), Expect(NotFound, Forbidden, Ok, Ok)),
        new("PATCH muted", (g, _, http) => http.PatchAsJsonAsync($"/api/v1/conversations/{g.Id}", new { muted = true }), Expect(NotFound, Ok, Ok, Ok)),
        new("POST members", (g, u, http) => http.PostAsJsonAsync($"/api/v1/conversations/{g.Id}/members", new { userIds = new[] { u.Newcomer.Id } }), Expect(NotFound, Forbidden, Ok, Ok)),
        new("DELETE a member", (g, u, http) => http.DeleteAsync($"/api/v1/conversations/{g.Id}/members/{u.TargetMember.Id}"), Expect(NotFound, Forbidden, NoContent, NoContent)),
        new("DELETE an admin", (g, u, http) => http.DeleteAsync($"/api/v1/conversations/{g.Id}/members/{u.TargetAdmin.Id}"), Expect(NotFound, Forbidden, Forbidden, NoContent)),
        new("PATCH role", (g, u, http) => http.PatchAsJsonAsync($"/api/v1/conversations/{g.Id}/members/{u.TargetMember.Id}", new { role = "admin" }), Expect(NotFound, Forbidden, Forbidden, Ok)),
        new("DELETE others' message for everyone", (g, _, http) => http.DeleteAsync($"/api/v1/conversations/{g.Id}/messages/{g.Seq}?scope=everyone"), Expect(NotFound, Forbidden, NoContent, NoContent)),
        new("PATCH others' message", (g, _, http) => http.PatchAsJsonAsync($"/api/v1/conversations/{g.Id}/messages/{g.Seq}", new { content = "edited" }), Expect(NotFound, Forbidden, Forbidden, Forbidden)),
        new("PUT reaction", (g, _, http) => http.PutAsync($"/api/v1/conversations/{g.Id}/messages/{g.Seq}/reactions/%F0%9F%91%8D", null), Expect(NotFound, NoContent, NoContent, NoContent)),
        new("POST read", (g, _, http) => http.PostAsJsonAsync($"/api/v1/conversations/{g.Id}/read", new { seq = g.Seq }), Expect(NotFound, NoContent, NoContent, NoContent)),
    ];

    [Fact]
    public async Task EveryGroupRouteFollowsTheRoleRules()
    {
        var names = new[] { "owner", "admin", "member", "outsider", "target", "targetadmin", "newcomer" };
        var registered = await Task.WhenAll(names.Select(n => ChatUser.RegisterAsync(chat.BaseAddress, n)));
        var users = new Users(registered[0], registered[1], registered[2], registered[3], registered[4], registered[5], registered[6]);
        using var anonymous = new HttpClient { BaseAddress = chat.BaseAddress };
        var failures = new List<string>();
        try
        {
            foreach (var @case in Cases)
            {
                foreach (var (caller, expected) in @case.Expected)
                {
                    var group = await NewGroupAsync(users);
                    var http = caller switch
                    {
                        Caller.Anonymous => anonymous,
                        Caller.Outsider => users.Outsider.Http,
                        Caller.Member => users.Member.Http,
                        Caller.Admin => users.Admin.Http,
                        _ => users.Owner.Http,
                    };
                    var response = await @case.Request(group, users, http);
                    if (response.StatusCode != expected)
                    {
                        failures.Add($"{@case.Name} as {caller}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    else if ((int)expected >= 400)
                    {
                        var code = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>();
                        Assert.Equal(expected switch { HttpStatusCode.NotFound => "NOT_FOUND", HttpStatusCode.Forbidden => "FORBIDDEN", _ => "UNAUTHORIZED" }, code);
                    }
                }
            }
        }
        finally
        {
            foreach (var user in registered)
            {
                await user.DisposeAsync();
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A fresh group: owner, an admin, a member, a target member and a target admin; one message by the target.</summary>
    private static async Task<Group> NewGroupAsync(Users u)
    {
        var group = await u.Owner.PostJsonAsync("/api/v1/conversations/group",
            new { name = "rules", memberIds = new[] { u.Admin.Id, u.Member.Id, u.TargetMember.Id, u.TargetAdmin.Id } }, 201);
        var id = group["id"]!.GetValue<Guid>();
        foreach (var admin in new[] { u.Admin, u.TargetAdmin })
        {
            var promoted = await u.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/members/{admin.Id}", new { role = "admin" });
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        }

        var message = await u.TargetMember.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "target", content = "by the target" }, 201);
        return new Group(id, message["seq"]!.GetValue<long>());
    }
}
