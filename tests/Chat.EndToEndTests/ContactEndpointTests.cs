using System.Net;
using System.Net.Http.Json;

namespace Chat.EndToEndTests;

/// <summary>Contacts, blocks and reports over HTTP, with the contactRequest event.</summary>
public sealed class ContactEndpointTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    [Fact]
    public async Task ARequestIsAnnouncedListedAndAccepted()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await bob.ConnectAsync();

        var sent = await alice.PostJsonAsync("/api/v1/contacts", new { userId = bob.Id }, 201);
        Assert.Equal("outgoing", sent["state"]!.GetValue<string>());
        Assert.Equal(bob.Id, sent["user"]!["id"]!.GetValue<Guid>());
        var announced = await bob.WaitForEventAsync("contactRequest", _ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(alice.Id, announced.GetProperty("fromUserId").GetGuid());
        var pending = await bob.GetJsonAsync("/api/v1/contacts/pending");
        Assert.Equal(alice.Id, pending["incoming"]![0]!["user"]!["id"]!.GetValue<Guid>());
        Assert.Empty(pending["outgoing"]!.AsArray());

        await bob.PostJsonAsync($"/api/v1/contacts/{alice.Id}/accept", new { }, 200);
        Assert.Equal(bob.Id, (await alice.GetJsonAsync("/api/v1/contacts"))["contacts"]![0]!["user"]!["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"/api/v1/contacts/{bob.Id}")).StatusCode);
        Assert.Empty((await bob.GetJsonAsync("/api/v1/contacts"))["contacts"]!.AsArray());
        await AttachmentTests.AssertErrorAsync(await alice.Http.PostAsJsonAsync("/api/v1/contacts", new { userId = Guid.NewGuid() }), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task NobodyIsAddedToAGroupBySomeoneTheyBlocked()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var mallory = await ChatUser.RegisterAsync(chat.BaseAddress, "mallory");
        await using var carol = await ChatUser.RegisterAsync(chat.BaseAddress, "carol");
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.PutAsync($"/api/v1/blocks/{mallory.Id}", null)).StatusCode);

        await AttachmentTests.AssertErrorAsync(await mallory.Http.PostAsJsonAsync("/api/v1/conversations/group",
            new { name = "trap", memberIds = new[] { alice.Id, carol.Id } }), HttpStatusCode.Forbidden, "FORBIDDEN");
        var group = (await mallory.PostJsonAsync("/api/v1/conversations/group", new { name = "later", memberIds = new[] { carol.Id } }, 201))["id"]!.GetValue<Guid>();
        await AttachmentTests.AssertErrorAsync(await mallory.Http.PostAsJsonAsync($"/api/v1/conversations/{group}/members",
            new { userIds = new[] { alice.Id } }), HttpStatusCode.Forbidden, "FORBIDDEN");

        // Nothing of alice leaks through the refused attempts: no conversation holds her, and she stays offline to mallory.
        Assert.Empty((await alice.GetJsonAsync("/api/v1/conversations"))["conversations"]!.AsArray());
        await alice.ConnectAsync();
        Assert.Equal("offline", (await mallory.GetJsonAsync($"/api/v1/users/{alice.Id}/presence"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhoOnlyAcceptsContactsIsAddedOnlyByContacts()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var stranger = await ChatUser.RegisterAsync(chat.BaseAddress, "stranger");
        Assert.Equal("anyone", (await alice.GetJsonAsync("/api/v1/users/me/privacy"))["allowGroupAddsFrom"]!.GetValue<string>());
        var put = await alice.Http.PutAsJsonAsync("/api/v1/users/me/privacy", new { allowGroupAddsFrom = "contacts" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("contacts", (await alice.GetJsonAsync("/api/v1/users/me/privacy"))["allowGroupAddsFrom"]!.GetValue<string>());
        await AttachmentTests.AssertErrorAsync(await alice.Http.PutAsJsonAsync("/api/v1/users/me/privacy", new { allowGroupAddsFrom = "friends" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        await AttachmentTests.AssertErrorAsync(await stranger.Http.PostAsJsonAsync("/api/v1/conversations/group",
            new { name = "cold", memberIds = new[] { alice.Id } }), HttpStatusCode.Forbidden, "FORBIDDEN");
        await bob.PostJsonAsync("/api/v1/contacts", new { userId = alice.Id }, 201);
        await AttachmentTests.AssertErrorAsync(await bob.Http.PostAsJsonAsync("/api/v1/conversations/group",
            new { name = "pending", memberIds = new[] { alice.Id } }), HttpStatusCode.Forbidden, "FORBIDDEN"); // a request is not consent
        await alice.PostJsonAsync($"/api/v1/contacts/{bob.Id}/accept", new { }, 200);
        await bob.PostJsonAsync("/api/v1/conversations/group", new { name = "friends", memberIds = new[] { alice.Id } }, 201);
    }

    [Fact]
    public async Task ABlockedUserCannotOpenOrWriteTheDirectConversation()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var mallory = await ChatUser.RegisterAsync(chat.BaseAddress, "mallory");
        var direct = (await mallory.PostJsonAsync("/api/v1/conversations/direct", new { userId = alice.Id }, 201))["id"]!.GetValue<Guid>();

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.PutAsync($"/api/v1/blocks/{mallory.Id}", null)).StatusCode);
        Assert.Equal(mallory.Id, (await alice.GetJsonAsync("/api/v1/blocks"))["users"]![0]!["id"]!.GetValue<Guid>());
        await AttachmentTests.AssertErrorAsync(await mallory.Http.PostAsJsonAsync("/api/v1/conversations/direct", new { userId = alice.Id }), HttpStatusCode.Forbidden, "FORBIDDEN");
        await AttachmentTests.AssertErrorAsync(await mallory.Http.PostAsJsonAsync($"/api/v1/conversations/{direct}/messages", new { clientMessageId = "x", content = "hi" }), HttpStatusCode.Forbidden, "FORBIDDEN");

        var report = await alice.PostJsonAsync("/api/v1/reports", new { userId = mallory.Id, reason = "harassment" }, 201);
        Assert.Equal("harassment", report["reason"]!.GetValue<string>());
        await AttachmentTests.AssertErrorAsync(await alice.Http.PostAsJsonAsync("/api/v1/reports", new { userId = mallory.Id }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"/api/v1/blocks/{mallory.Id}")).StatusCode);
        await mallory.PostJsonAsync($"/api/v1/conversations/{direct}/messages", new { clientMessageId = "y", content = "sorry" }, 201);
    }
}
