using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;
using Chat.Grains.Users;
using Npgsql;

namespace Chat.ClusterTests;

/// <summary>Conversation versions (API.md): every visible change takes the next one, and GetChanges reads them back.</summary>
[Collection(ClusterCollection.Name)]
public sealed class VersionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EveryVisibleChangeTakesTheNextVersionAndMutingTakesNone()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var created = (await conversation.GetAsync(users[0])).Version;

        var sent = (await conversation.SendAsync(users[0], Text("a"))).Message;
        var edited = await conversation.EditAsync(users[0], sent.Seq, "a, edited");
        await conversation.ReactAsync(users[1], sent.Seq, "👍", add: true);
        await conversation.ReactAsync(users[1], sent.Seq, "👍", add: true); // no change: no version
        var read = await conversation.MarkReadAsync(users[1], sent.Seq);
        await conversation.UpdateAsync(users[1], new ConversationChanges(Muted: true)); // the caller's own: no version
        await conversation.DeleteAsync(users[0], sent.Seq, DeleteScopes.Everyone);

        Assert.Equal(created + 1, sent.Version);
        Assert.Equal(sent.Version, sent.CreatedVersion);
        Assert.Equal(created + 2, edited.Version);
        Assert.Equal(created + 4, read.Version);
        var changes = await conversation.GetChangesAsync(users[1], created, 100);
        var tombstone = Assert.Single(changes.Messages);
        Assert.True(tombstone.IsDeleted);
        Assert.Equal(created + 5, tombstone.Version);
        Assert.Equal(created + 1, tombstone.CreatedVersion);
        Assert.Equal(created + 5, changes.Version);
        Assert.Equal(created + 5, (await conversation.GetAsync(users[0])).Version);
    }

    [Fact]
    public async Task ChangesSinceAVersionHoldWhatChangedAsItIsNow()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3);
        var first = (await conversation.SendAsync(users[0], Text("first"))).Message;
        await conversation.SendAsync(users[1], Text("second"));
        var since = (await conversation.GetAsync(users[0])).Version;

        await conversation.EditAsync(users[0], first.Seq, "first, edited");
        await conversation.MarkReadAsync(users[2], 2);
        await conversation.RemoveMemberAsync(users[0], users[1]);
        await conversation.UpdateAsync(users[0], new ConversationChanges(Name: "renamed"));

        var changes = await conversation.GetChangesAsync(users[2], since, 100);
        Assert.True(changes.IsMember);
        Assert.False(changes.HasMore);
        // The edit, the system messages of the removal and the rename, in version order.
        Assert.Equal([first.Seq, 3, 4], changes.Messages.Select(m => m.Seq));
        Assert.Equal("first, edited", changes.Messages[0].Content);
        // carol's receipt, and the owner's own, moved by the system messages they wrote.
        var receipt = Assert.Single(changes.Receipts, r => r.UserId == users[2]);
        Assert.Equal((2L, 2L), (receipt.ReadSeq, receipt.DeliveredSeq));
        Assert.Equal([users[2], users[0]], changes.Receipts.Select(r => r.UserId));
        var removal = Assert.Single(changes.Membership);
        Assert.Equal((users[1], users[0], false), (removal.UserId, removal.By, removal.Added));
        Assert.Equal("renamed", changes.Conversation!.Name);
        Assert.DoesNotContain(changes.Conversation.Members, m => m.UserId == users[1]);
        Assert.Equal(changes.Version - 1, changes.InfoVersion); // the rename, then its system message

        var removed = await conversation.GetChangesAsync(users[1], since, 100);
        Assert.False(removed.IsMember);
        Assert.Empty(removed.Messages);
        Assert.Null(removed.Conversation);

        var nothing = await conversation.GetChangesAsync(users[2], changes.Version, 100);
        Assert.Empty(nothing.Messages);
        Assert.Empty(nothing.Receipts);
        Assert.Null(nothing.Conversation);
        Assert.Equal(changes.Version, nothing.Version);
    }

    [Fact]
    public async Task ChangesArePagedByVersionWithHasMore()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var since = (await conversation.GetAsync(users[0])).Version;
        for (var i = 0; i < 5; i++)
        {
            await conversation.SendAsync(users[0], Text($"m{i}"));
        }

        await conversation.MarkReadAsync(users[1], 5);
        var seqs = new List<long>();
        var pages = 0;
        ConversationChangeSet page;
        do
        {
            page = await conversation.GetChangesAsync(users[1], since, 2);
            seqs.AddRange(page.Messages.Select(m => m.Seq));
            Assert.All(page.Receipts, r => Assert.True(r.Version > since && r.Version <= page.Version));
            since = page.Version;
            pages++;
        }
        while (page.HasMore);

        Assert.Equal([1, 2, 3, 4, 5], seqs);
        Assert.Equal(3, pages);
        Assert.Equal(page.Version, (await conversation.GetAsync(users[0])).Version);
    }

    [Fact]
    public async Task AFreshActivationContinuesFromTheStoredVersion()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var sent = (await conversation.SendAsync(users[0], Text("before"))).Message;
        await conversation.MarkReadAsync(users[1], sent.Seq);
        var before = (await conversation.GetAsync(users[0])).Version;

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var after = (await conversation.SendAsync(users[1], Text("after"))).Message;
        Assert.Equal(before + 1, after.Version);
    }

    [Fact]
    public async Task AWriterWhoseVersionWasOvertakenIsRefusedAndWritesNothing()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var first = (await conversation.SendAsync(users[0], Text("first"))).Message;

        // What a second activation of the same conversation (briefly alive while silos come and go) would leave.
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var overtake = new NpgsqlCommand("UPDATE conversation_heads SET version = version + 1 WHERE conversation_id = $1", connection);
            overtake.Parameters.AddWithValue(conversation.GetPrimaryKey());
            await overtake.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<ChatException>(() => conversation.SendAsync(users[0], Text("stale")));
        Assert.Equal(ErrorCodes.ServiceUnavailable, refused.Code);
        var retried = (await conversation.SendAsync(users[0], Text("retried"))).Message;
        Assert.Equal((first.Seq + 1, first.Version + 2), (retried.Seq, retried.Version));
        var page = await fixture.Client.GetGrain<IHistoryGrain>(0).GetPageAsync(users[1], conversation.GetPrimaryKey(), new HistoryQuery(null, null, null, 10));
        Assert.DoesNotContain(page.Messages, m => m.Content == "stale");
    }

    [Fact]
    public async Task AddingMembersWhileTheyListTheirConversationsNeverDeadlocks()
    {
        // UserGrain.ListConversations calls each conversation; adding members used to call each member's grain back.
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var joiners = await fixture.NewUsersAsync(20);
        var work = joiners.SelectMany(joiner => new Task[]
        {
            conversation.AddMembersAsync(users[0], [joiner]),
            fixture.Client.GetGrain<IUserGrain>(joiner).ListConversationsAsync(50, null),
        });
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(22, (await conversation.GetAsync(users[0])).Members.Length);
    }

    private static SendMessageRequest Text(string content) => new(Guid.NewGuid().ToString("N"), content, "text", "plain", null, []);
}
