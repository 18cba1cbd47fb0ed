using Chat.Grains.Accounts;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Search;

namespace Chat.ClusterTests;

/// <summary>Full-text message search (PostgreSQL websearch_to_tsquery) and user prefix search.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SearchTests(ClusterFixture fixture)
{
    private ISearchGrain Search => fixture.Client.GetGrain<ISearchGrain>(0);

    [Fact]
    public async Task FindsOnlyTheCallersVisibleMessagesBestMatchFirst()
    {
        var word = "zq" + Guid.NewGuid().ToString("N")[..8]; // a word no other test writes
        var (mine, users) = await fixture.NewGroupAsync(2);
        var (theirs, others) = await fixture.NewGroupAsync(1);
        var once = await Send(mine, users[0], $"the {word} is ready");
        var twice = await Send(mine, users[1], $"{word} {word} for everyone");
        var deleted = await Send(mine, users[0], $"{word} secret");
        var hidden = await Send(mine, users[1], $"{word} hidden from the first user");
        await Send(theirs, others[0], $"{word} elsewhere");
        await mine.DeleteAsync(users[0], deleted, DeleteScopes.Everyone);
        await mine.DeleteAsync(users[0], hidden, DeleteScopes.Me);

        var page = await Search.SearchMessagesAsync(users[0], new MessageSearch(word, null, 10, 0));

        Assert.Equal([twice, once], page.Hits.Select(h => h.Seq));
        Assert.All(page.Hits, h => Assert.Equal(mine.GetPrimaryKey(), h.ConversationId));
        Assert.Contains($"<mark>{word}</mark>", page.Hits[1].Snippet);
        Assert.False(page.HasMore);
        Assert.Equal(3, (await Search.SearchMessagesAsync(users[1], new MessageSearch(word, mine.GetPrimaryKey(), 10, 0))).Hits.Length);
    }

    [Fact]
    public async Task WebSearchSyntaxPagingAndEscapedSnippets()
    {
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        var (conversation, users) = await fixture.NewGroupAsync(1);
        await Send(conversation, users[0], $"<b>{word}</b> with pineapple");
        for (var i = 0; i < 3; i++)
        {
            await Send(conversation, users[0], $"plain {word} number {i}");
        }

        var excluded = await Search.SearchMessagesAsync(users[0], new MessageSearch($"{word} -pineapple", null, 10, 0));
        Assert.Equal(3, excluded.Hits.Length);
        var phrase = await Search.SearchMessagesAsync(users[0], new MessageSearch($"\"{word} with\"", null, 10, 0));
        var snippet = phrase.Hits.Single().Snippet;
        Assert.Contains($"&lt;b&gt;<mark>{word}</mark>&lt;/b&gt; <mark>with</mark>", snippet); // the user's markup arrives escaped
        Assert.DoesNotContain("<b>", snippet);

        var first = await Search.SearchMessagesAsync(users[0], new MessageSearch(word, null, 3, 0));
        var second = await Search.SearchMessagesAsync(users[0], new MessageSearch(word, null, 3, 3));
        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(4, first.Hits.Concat(second.Hits).Select(h => h.Seq).Distinct().Count());
        Assert.Equal(ErrorCodes.Validation, (await Assert.ThrowsAsync<ChatException>(() => Search.SearchMessagesAsync(users[0], new MessageSearch(" ", null, 10, 0)))).Code);
    }

    [Fact]
    public async Task UsersAreFoundByUsernameOrDisplayNamePrefixWithWildcardsTakenLiterally()
    {
        var stem = "p" + Guid.NewGuid().ToString("N")[..6];
        var accounts = fixture.Client.GetGrain<IAccountsGrain>(0);
        var exact = await accounts.RegisterAsync(stem, "Someone", "hash");
        var longer = await accounts.RegisterAsync(stem + "_x", "Someone else", "hash");
        var byName = await accounts.RegisterAsync("q" + Guid.NewGuid().ToString("N")[..8], stem.ToUpperInvariant() + " Display", "hash");

        var found = await Search.SearchUsersAsync(stem.ToUpperInvariant(), 10);

        Assert.Equal([exact.Id, longer.Id, byName.Id], found.Select(u => u.Id));
        Assert.Empty(await Search.SearchUsersAsync(stem[..3] + "%" + stem[4..], 10));
        Assert.Equal([longer.Id], (await Search.SearchUsersAsync(stem + "_", 10)).Select(u => u.Id));
    }

    private static async Task<long> Send(IConversationGrain conversation, Guid sender, string content) =>
        (await conversation.SendAsync(sender, new SendMessageRequest(Guid.NewGuid().ToString(), content, "text", "plain", null, []))).Message.Seq;
}
