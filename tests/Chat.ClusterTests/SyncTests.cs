using Chat.Grains.Conversations;
using Chat.Grains.Users;

namespace Chat.ClusterTests;

/// <summary>GET /sync's grain side: only conversations with new messages or moved watermarks since the token.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SyncTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ASyncReturnsOnlyWhatChangedSinceTheLastOne()
    {
        var users = await fixture.NewUsersAsync(2);
        var a = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid());
        var b = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid());
        await a.CreateGroupAsync(users[0], "a", null, [users[1]]);
        await b.CreateGroupAsync(users[0], "b", null, [users[1]]);
        await b.SendAsync(users[0], Text("in b"));
        var me = fixture.Client.GetGrain<IUserGrain>(users[1]);

        var all = await me.SyncAsync(null);
        Assert.Equal(new[] { a.GetPrimaryKey(), b.GetPrimaryKey() }.Order(), all.Conversations.Select(c => c.ConversationId).Order());
        Assert.Equal(1, all.Conversations.Single(c => c.ConversationId == b.GetPrimaryKey()).UnreadCount);
        await Task.Delay(10); // a later commit time than the token's (one clock, microsecond precision)

        await a.SendAsync(users[0], Text("in a"));
        var afterMessage = await me.SyncAsync(all.Next);
        var changed = Assert.Single(afterMessage.Conversations);
        Assert.Equal((a.GetPrimaryKey(), 1L, 0L, 1L), (changed.ConversationId, changed.LastSeq, changed.ReadSeq, changed.UnreadCount));

        await Task.Delay(10);
        await b.MarkReadAsync(users[1], 1); // read on another device
        var afterRead = await me.SyncAsync(afterMessage.Next);
        Assert.Equal((b.GetPrimaryKey(), 1L, 0L), (Assert.Single(afterRead.Conversations).ConversationId, afterRead.Conversations[0].ReadSeq, afterRead.Conversations[0].UnreadCount));

        Assert.Empty((await me.SyncAsync(afterRead.Next)).Conversations);
    }

    private static SendMessageRequest Text(string content) => new(Guid.NewGuid().ToString(), content, "text", "plain", null, []);
}
