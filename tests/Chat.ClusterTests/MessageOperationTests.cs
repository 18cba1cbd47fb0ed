using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;

namespace Chat.ClusterTests;

/// <summary>Edits, deletes, reactions, forwarding and mentions, through the conversation grain that owns them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MessageOperationTests(ClusterFixture fixture)
{
    private IHistoryGrain History => fixture.Client.GetGrain<IHistoryGrain>(0);

    [Fact]
    public async Task TheSenderEditsWithinTheWindowAndEarlierVersionsAreKept()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var seq = (await conversation.SendAsync(users[0], Text("e1", "frist draft"))).Message.Seq;

        var edited = await conversation.EditAsync(users[0], seq, "first draft");
        await conversation.EditAsync(users[0], seq, "final draft");

        Assert.Equal("first draft", edited.Content);
        Assert.NotNull(edited.EditedAt);
        Assert.Equal("final draft", (await History.GetMessageAsync(users[1], conversation.GetPrimaryKey(), seq)).Content);
        Assert.Equal(["frist draft", "first draft"], (await History.GetEditsAsync(users[1], conversation.GetPrimaryKey(), seq)).Select(v => v.Content));
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => conversation.EditAsync(users[1], seq, "not mine"));
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.EditAsync(users[0], seq, "   "));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => conversation.EditAsync(users[0], seq + 1, "no such message"));
    }

    [Fact]
    public async Task AnEditAfterTheWindowIsForbidden()
    {
        var (conversation, users) = await fixture.NewGroupAsync(1);
        var seq = (await conversation.SendAsync(users[0], Text("late", "typo"))).Message.Seq;
        ClusterFixture.Clock.Offset = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        try
        {
            await AssertRefusedAsync(ErrorCodes.Forbidden, () => conversation.EditAsync(users[0], seq, "too late"));
        }
        finally
        {
            ClusterFixture.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Equal("on time", (await conversation.EditAsync(users[0], seq, "on time")).Content);
    }

    [Fact]
    public async Task DeleteForMeHidesTheMessageFromTheCallerOnly()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var id = conversation.GetPrimaryKey();
        await conversation.SendAsync(users[0], Text("a", "one"));
        var two = (await conversation.SendAsync(users[0], Text("b", "two"))).Message.Seq;
        await conversation.SendAsync(users[0], Text("c", "three"));

        await conversation.DeleteAsync(users[1], two, DeleteScopes.Me);

        Assert.Equal([1L, 3L], (await History.GetPageAsync(users[1], id, new HistoryQuery(null, null, null, 50))).Messages.Select(m => m.Seq));
        Assert.Equal([1L, 2L, 3L], (await History.GetPageAsync(users[0], id, new HistoryQuery(null, null, null, 50))).Messages.Select(m => m.Seq));
        Assert.Equal([3L], (await History.GetAfterAsync(users[1], id, 1, 10)).Select(m => m.Seq));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => History.GetMessageAsync(users[1], id, two));
    }

    [Fact]
    public async Task DeleteForEveryoneLeavesATombstoneThatKeepsItsSeq()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3); // users[0] owns the group
        var id = conversation.GetPrimaryKey();
        var bySecond = (await conversation.SendAsync(users[1], Text("x", "secret"))).Message.Seq;
        var byThird = (await conversation.SendAsync(users[2], Text("y", "spam"))).Message.Seq;
        await conversation.ReactAsync(users[0], bySecond, "👍", add: true);
        await conversation.EditAsync(users[1], bySecond, "secret!");

        await AssertRefusedAsync(ErrorCodes.Forbidden, () => conversation.DeleteAsync(users[2], bySecond, DeleteScopes.Everyone));
        await conversation.DeleteAsync(users[1], bySecond, DeleteScopes.Everyone);     // the sender
        await conversation.DeleteAsync(users[0], byThird, DeleteScopes.Everyone);      // the owner
        await conversation.DeleteAsync(users[1], bySecond, DeleteScopes.Everyone);     // again: nothing more to do

        var tombstone = await History.GetMessageAsync(users[2], id, bySecond);
        Assert.Null(tombstone.Content);
        Assert.NotNull(tombstone.DeletedAt);
        Assert.Empty(tombstone.Reactions);
        Assert.Empty(await History.GetEditsAsync(users[2], id, bySecond));
        Assert.Null((await History.GetMessageAsync(users[1], id, byThird)).Content);
        Assert.Equal(byThird, (await conversation.GetAsync(users[0])).LastSeq);
        await AssertRefusedAsync(ErrorCodes.Conflict, () => conversation.EditAsync(users[1], bySecond, "back"));
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.DeleteAsync(users[1], bySecond, "nobody"));
    }

    [Fact]
    public async Task ReactionsAreIdempotentPerUserAndEmoji()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3);
        var seq = (await conversation.SendAsync(users[0], Text("r", "lunch?"))).Message.Seq;

        await conversation.ReactAsync(users[1], seq, "👍", add: true);
        await conversation.ReactAsync(users[1], seq, "👍", add: true);
        await conversation.ReactAsync(users[2], seq, "👍", add: true);
        var reactions = await conversation.ReactAsync(users[2], seq, ":taco:", add: true);

        Assert.Equal([("👍", 2), (":taco:", 1)], reactions.Select(r => (r.Emoji, r.Count)));
        Assert.Equal([users[1], users[2]], reactions[0].UserIds.ToArray());
        reactions = await conversation.ReactAsync(users[1], seq, "👍", add: false);
        reactions = await conversation.ReactAsync(users[1], seq, "👍", add: false);
        Assert.Equal([users[2]], reactions.Single(r => r.Emoji == "👍").UserIds.ToArray());
        Assert.Equal(reactions.Select(r => (r.Emoji, r.Count)), (await History.GetMessageAsync(users[0], conversation.GetPrimaryKey(), seq)).Reactions.Select(r => (r.Emoji, r.Count)));
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.ReactAsync(users[1], seq, "not an emoji", add: true));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => conversation.ReactAsync(users[1], seq + 5, "👍", add: true));
    }

    [Fact]
    public async Task AMessageHoldsAtMost50DistinctReactionsAnd50Edits()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var seq = (await conversation.SendAsync(users[0], Text("many", "react to me"))).Message.Seq;
        for (var i = 0; i < 50; i++)
        {
            await conversation.ReactAsync(users[1], seq, $":r{i}:", add: true);
        }

        await AssertRefusedAsync(ErrorCodes.Conflict, () => conversation.ReactAsync(users[1], seq, ":one-more:", add: true));
        Assert.Equal(2, (await conversation.ReactAsync(users[0], seq, ":r7:", add: true)).Single(r => r.Emoji == ":r7:").Count); // joining one is fine

        for (var i = 0; i < 50; i++)
        {
            await conversation.EditAsync(users[0], seq, $"version {i}");
        }

        await AssertRefusedAsync(ErrorCodes.Conflict, () => conversation.EditAsync(users[0], seq, "version 50"));
        Assert.Equal(50, (await History.GetEditsAsync(users[1], conversation.GetPrimaryKey(), seq)).Length);
    }

    [Fact]
    public async Task ForwardingCopiesAMessageTheCallerCanReadAndSaysWhereFrom()
    {
        var (source, users) = await fixture.NewGroupAsync(2);
        var target = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid());
        await target.CreateGroupAsync(users[0], "elsewhere", null, []);
        var outsider = (await fixture.NewUsersAsync(1))[0];
        var outsiders = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid());
        await outsiders.CreateGroupAsync(outsider, "outside", null, []);
        var original = (await source.SendAsync(users[1], Text("o", "**worth** sharing") with { Format = "markdown" })).Message;
        var from = new MessageRef(source.GetPrimaryKey(), original.Seq);

        await AssertRefusedAsync(ErrorCodes.NotFound, () => outsiders.ForwardAsync(outsider, from)); // cannot read the source
        await AssertRefusedAsync(ErrorCodes.NotFound, () => target.ForwardAsync(users[1], from));    // not in the target
        var forwarded = await target.ForwardAsync(users[0], from);
        var again = await target.ForwardAsync(users[0], from);

        Assert.Equal(from, forwarded.Message.ForwardedFrom);
        Assert.Equal(("**worth** sharing", "markdown", users[0]), (forwarded.Message.Content, forwarded.Message.Format, forwarded.Message.SenderId));
        Assert.Equal(target.GetPrimaryKey(), forwarded.Message.ConversationId);
        Assert.False(again.Created);
        Assert.Equal(forwarded.Message.Seq, again.Message.Seq);
    }

    [Fact]
    public async Task MentionsNameMembersAndCountInTheirUnreadState()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var outsider = (await fixture.NewUsersAsync(1))[0];
        var names = await Task.WhenAll(new[] { users[1], outsider }.Select(async u =>
            (await fixture.Client.GetGrain<Chat.Grains.Accounts.IAccountsGrain>(0).GetProfileAsync(u)).Username));

        var sent = await conversation.SendAsync(users[0], Text("m", $"hey @{names[0].ToUpperInvariant()} and @{names[1]}, mail me@example.com"));

        Assert.Equal([users[1]], sent.Message.Mentions.ToArray());
        var view = await conversation.GetAsync(users[1]);
        Assert.Equal((1, 1), (view.UnreadCount, view.UnreadMentions));
        await conversation.MarkReadAsync(users[1], sent.Message.Seq);
        Assert.Equal(0, (await conversation.GetAsync(users[1])).UnreadMentions);
    }

    private static SendMessageRequest Text(string clientMessageId, string content) => new(clientMessageId, content, "text", "plain", null, []);

    private static async Task AssertRefusedAsync(string code, Func<Task> action) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<ChatException>(action)).Code);
}
