using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Users;

namespace Chat.ClusterTests;

/// <summary>Contacts on both sides, blocks closing direct conversations, and reports.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ContactTests(ClusterFixture fixture)
{
    private IUserGrain User(Guid id) => fixture.Client.GetGrain<IUserGrain>(id);

    [Fact]
    public async Task ARequestIsPendingOnBothSidesUntilAcceptedAndRemovingEndsItForBoth()
    {
        var (a, b) = await PairAsync();
        Assert.Equal(ContactStates.Outgoing, (await User(a).RequestContactAsync(b)).State);
        Assert.Equal(ContactStates.Incoming, (await User(b).GetContactsAsync()).Single().State);
        await AssertRefusedAsync(ErrorCodes.NotFound, () => User(a).AcceptContactAsync(b)); // one cannot accept one's own request

        await User(b).AcceptContactAsync(a);
        Assert.Equal(ContactStates.Accepted, (await User(a).GetContactsAsync()).Single().State);
        Assert.Equal(ContactStates.Accepted, (await User(b).GetContactsAsync()).Single().State);

        await User(a).RemoveContactAsync(b);
        Assert.Empty(await User(a).GetContactsAsync());
        Assert.Empty(await User(b).GetContactsAsync());
    }

    [Fact]
    public async Task AskingSomeoneWhoAlreadyAskedYouAcceptsThem()
    {
        var (a, b) = await PairAsync();
        await User(a).RequestContactAsync(b);
        Assert.Equal(ContactStates.Accepted, (await User(b).RequestContactAsync(a)).State);
        Assert.Equal(ContactStates.Accepted, (await User(a).GetContactsAsync()).Single().State);
    }

    [Fact]
    public async Task ABlockEndsTheContactAndClosesTheDirectConversationBothWaysUntilLifted()
    {
        var (a, b) = await PairAsync();
        var direct = fixture.Client.GetGrain<IConversationGrain>(DirectConversationId.For(a, b));
        await direct.CreateDirectAsync(a, b);
        await User(a).RequestContactAsync(b);
        await User(b).AcceptContactAsync(a);
        Assert.True((await direct.SendAsync(a, Text("before the block"))).Created); // the grain knows: nobody blocked

        await User(b).BlockAsync(a);

        Assert.Equal([a], (await User(b).GetBlocksAsync()).ToArray());
        Assert.Empty(await User(a).GetContactsAsync());
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => direct.SendAsync(a, Text("to blocker")));
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => direct.SendAsync(b, Text("from blocker")));
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => direct.CreateDirectAsync(a, b));
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => User(a).RequestContactAsync(b));

        await User(b).UnblockAsync(a);
        Assert.True((await direct.SendAsync(a, Text("hello again"))).Created);
    }

    [Fact]
    public async Task ReportsNameSomethingTheReporterCanSee()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var outsider = (await fixture.NewUsersAsync(1))[0];
        var seq = (await conversation.SendAsync(users[1], Text("spam"))).Message.Seq;

        var report = await User(users[0]).ReportAsync(users[1], conversation.GetPrimaryKey(), seq, "  spam  ");
        Assert.Equal(("spam", users[0]), (report.Reason, report.ReporterId));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => User(outsider).ReportAsync(null, conversation.GetPrimaryKey(), seq, "nosy"));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => User(users[0]).ReportAsync(null, conversation.GetPrimaryKey(), seq + 9, "no such message"));
        await AssertRefusedAsync(ErrorCodes.Validation, () => User(users[0]).ReportAsync(null, null, null, "about nothing"));
        await AssertRefusedAsync(ErrorCodes.Validation, () => User(users[0]).ReportAsync(users[1], null, null, " "));
    }

    private async Task<(Guid A, Guid B)> PairAsync()
    {
        var users = await fixture.NewUsersAsync(2);
        return (users[0], users[1]);
    }

    private static SendMessageRequest Text(string content) => new(Guid.NewGuid().ToString(), content, "text", "plain", null, []);

    private static async Task AssertRefusedAsync(string code, Func<Task> action) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<ChatException>(action)).Code);
}
