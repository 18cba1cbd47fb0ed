using Chat.Grains.Conversations;
using Chat.Grains.History;
using Chat.Grains.Users;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class ReadPathTests(ClusterFixture fixture)
{
    [Fact]
    public async Task HistoryPagesBeforeAfterAndAroundASeq()
    {
        var (conversation, users) = await fixture.NewGroupAsync(1);
        for (var i = 1; i <= 10; i++)
        {
            await conversation.SendAsync(users[0], new SendMessageRequest($"m{i}", $"message {i}", "text", "plain", null, []));
        }

        var history = fixture.Client.GetGrain<IHistoryGrain>(0);
        async Task<string> Page(long? before, long? after, long? around, int limit)
        {
            var page = await history.GetPageAsync(users[0], conversation.GetPrimaryKey(), new HistoryQuery(before, after, around, limit));
            return $"{string.Join(",", page.Messages.Select(m => m.Seq))} more:{page.HasMore}";
        }

        Assert.Equal("8,9,10 more:True", await Page(null, null, null, 3));
        Assert.Equal("4,5,6 more:True", await Page(7, null, null, 3));
        Assert.Equal("1,2 more:False", await Page(3, null, null, 3));
        Assert.Equal("9,10 more:False", await Page(null, 8, null, 3));
        Assert.Equal("3,4,5,6 more:True", await Page(null, null, 5, 4));
        Assert.Equal("1,2,3 more:True", await Page(null, null, 1, 3));
        Assert.Equal(" more:False", await Page(null, 10, null, 3));
    }

    [Fact]
    public async Task TheConversationListIsNewestActivityFirstAndPagesWithACursor()
    {
        var users = await fixture.NewUsersAsync(2);
        var conversations = new List<IConversationGrain>();
        for (var i = 0; i < 3; i++)
        {
            var conversation = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid());
            await conversation.CreateGroupAsync(users[0], $"c{i}", null, [users[1]]);
            conversations.Add(conversation);
        }

        // Activity order, newest last: c2 (created last) is overtaken by messages to c0, then c1.
        await conversations[0].SendAsync(users[0], new SendMessageRequest("a", "to c0", "text", "plain", null, []));
        await conversations[1].SendAsync(users[0], new SendMessageRequest("b", "to c1", "text", "plain", null, []));
        await conversations[1].SendAsync(users[0], new SendMessageRequest("c", "again c1", "text", "plain", null, []));

        var reader = fixture.Client.GetGrain<IUserGrain>(users[1]);
        var first = await reader.ListConversationsAsync(2, null);
        var second = await reader.ListConversationsAsync(2, first.NextCursor);

        Assert.Equal([conversations[1].GetPrimaryKey(), conversations[0].GetPrimaryKey()], first.Conversations.Select(c => c.Id));
        Assert.Equal([2L, 1], first.Conversations.Select(c => c.UnreadCount));
        Assert.NotNull(first.NextCursor);
        Assert.Equal([conversations[2].GetPrimaryKey()], second.Conversations.Select(c => c.Id));
        Assert.Null(second.NextCursor);
    }
}
