using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class SequenceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task SeqIsGapFreeAndUniqueUnderConcurrentSenders()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3);
        const int perSender = 100;

        var results = await Task.WhenAll(users.SelectMany(user => Enumerable.Range(0, perSender).Select(i =>
            conversation.SendAsync(user, Text($"{user:N}-{i}")))));

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(Enumerable.Range(1, users.Length * perSender).Select(i => (long)i), results.Select(r => r.Message.Seq).Order());
        var stored = await fixture.ReadAllAsync(users[0], conversation.GetPrimaryKey());
        Assert.Equal(Enumerable.Range(1, users.Length * perSender).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(results.Select(r => r.Message.Id).Order(), stored.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task ResendingAClientMessageIdReturnsTheSameMessageWithoutADuplicate()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);

        var first = await conversation.SendAsync(users[0], Text("once"));
        var retries = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => conversation.SendAsync(users[0], Text("once"))));
        var next = await conversation.SendAsync(users[0], Text("twice"));

        Assert.True(first.Created);
        Assert.All(retries, r => Assert.False(r.Created));
        Assert.All(retries, r => Assert.Equal(first.Message, r.Message));
        Assert.Equal(2, next.Message.Seq);
        // Another sender may use the same clientMessageId: uniqueness is per sender.
        var other = await conversation.SendAsync(users[1], Text("once"));
        Assert.True(other.Created);
        Assert.Equal(3, other.Message.Seq);
    }

    [Fact]
    public async Task NonMembersCannotReadOrWriteAndSeeNotFound()
    {
        var (conversation, _) = await fixture.NewGroupAsync(2);
        var stranger = (await fixture.NewUsersAsync(1))[0];

        var send = await Assert.ThrowsAsync<ChatException>(() => conversation.SendAsync(stranger, Text("hi")));
        var get = await Assert.ThrowsAsync<ChatException>(() => conversation.GetAsync(stranger));
        var history = await Assert.ThrowsAsync<ChatException>(() =>
            fixture.Client.GetGrain<IHistoryGrain>(0).GetPageAsync(stranger, conversation.GetPrimaryKey(), new HistoryQuery(null, null, null, 50)));

        Assert.All([send, get, history], e => Assert.Equal(ErrorCodes.NotFound, e.Code));
    }

    internal static SendMessageRequest Text(string clientMessageId) => new(clientMessageId, "hello " + clientMessageId, "text", "plain", null, []);
}
