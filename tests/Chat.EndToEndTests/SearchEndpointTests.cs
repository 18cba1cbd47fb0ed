using System.Net;

namespace Chat.EndToEndTests;

/// <summary>The search routes over HTTP: shapes, cursors and refusals.</summary>
public sealed class SearchEndpointTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    [Fact]
    public async Task MessageSearchPagesWithACursorAndUserSearchFindsByPrefix()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var eve = await ChatUser.RegisterAsync(chat.BaseAddress, "eve");
        var id = await AttachmentTests.GroupAsync(alice);
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await alice.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = $"s{i}", content = $"{word} {i}" }, 201);
        }

        var first = await alice.GetJsonAsync($"/api/v1/search/messages?q={word}&limit=2");
        var cursor = first["nextCursor"]!.GetValue<string>();
        var second = await alice.GetJsonAsync($"/api/v1/search/messages?q={word}&limit=2&cursor={cursor}");
        Assert.Equal(2, first["results"]!.AsArray().Count);
        Assert.Single(second["results"]!.AsArray());
        Assert.Null(second["nextCursor"]);
        var hit = first["results"]![0]!;
        Assert.Equal(id, hit["conversationId"]!.GetValue<Guid>());
        Assert.Contains("<mark>", hit["snippet"]!.GetValue<string>());
        Assert.Empty((await eve.GetJsonAsync($"/api/v1/search/messages?q={word}"))["results"]!.AsArray());
        await AttachmentTests.AssertErrorAsync(await alice.Http.GetAsync("/api/v1/search/messages?q="), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AttachmentTests.AssertErrorAsync(await alice.Http.GetAsync($"/api/v1/search/messages?q={word}&cursor=nonsense!"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var users = (await eve.GetJsonAsync($"/api/v1/users/search?q={alice.Username[..7]}"))["users"]!.AsArray();
        Assert.Contains(users, u => u!["id"]!.GetValue<Guid>() == alice.Id);
    }
}
