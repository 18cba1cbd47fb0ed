using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Chat.Grains.Streams;
using Chat.WebFrontend.Realtime;

namespace Chat.UnitTests;

public sealed class ChangeReplayTests
{
    private static readonly Guid Conversation = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();

    [Fact]
    public void NewMessagesComeInSeqOrderAtTheVersionTheyWerePostedAndLaterChangesAtTheirOwn()
    {
        // seq 1 posted at 11, seq 2 at 12, then seq 1 edited at 13 and seq 2 deleted at 14.
        var edited = Message(1, created: 11, version: 13) with { EditedAt = DateTimeOffset.UtcNow };
        var deleted = Message(2, created: 12, version: 14) with { Content = null, DeletedAt = DateTimeOffset.UtcNow };
        var events = ChangeReplay.Events(Changes(14, [edited, deleted]), since: 10);

        Assert.Equal(
            [("received", 1L, 11L), ("received", 2, 12), ("edited", 1, 13), ("deleted", 2, 14)],
            events.Select(Describe));
    }

    [Fact]
    public void AMessagePostedBeforeSinceOnlyReplaysItsChange()
    {
        var reacted = Message(1, created: 3, version: 12) with { Reactions = [new Reaction("👍", 1, [Bob])] };
        var events = ChangeReplay.Events(Changes(12, [reacted]), since: 10);

        var only = Assert.Single(events);
        Assert.Equal(12, Assert.IsType<ReactionsChangedEvent>(only).Version);
    }

    [Fact]
    public void AReceiptThatASendOrAJoinImpliesIsNotAnEventOfItsOwn()
    {
        var sent = Message(5, created: 21, version: 21);
        var changes = Changes(23, [sent]) with
        {
            Receipts = [new Receipts(Conversation, Alice, 5, 5, Version: 21), new Receipts(Conversation, Bob, 5, 4, Version: 23)],
            Membership = [new MembershipChange(22, Bob, Alice, Added: true)],
        };

        var events = ChangeReplay.Events(changes, since: 20);

        Assert.Equal([21L, 22, 23], events.Select(e => e.Version));
        Assert.IsType<MessageEvent>(events[0]);
        Assert.IsType<MembershipEvent>(events[1]);
        Assert.Equal(Bob, Assert.IsType<ReceiptsEvent>(events[2]).Receipts.UserId);
    }

    [Fact]
    public void ABigGroupsReceiptsReplayAsOneSummaryAsItStandsNow()
    {
        var sent = Message(5, created: 21, version: 21);
        var changes = Changes(24, [sent]) with
        {
            Receipts = [new Receipts(Conversation, Alice, 5, 5, Version: 21), new Receipts(Conversation, Bob, 4, 4, Version: 22), new Receipts(Conversation, Guid.NewGuid(), 5, 3, Version: 24)],
            ReceiptsSummary = new ReceiptsSummary(4, 3),
        };

        var events = ChangeReplay.Events(changes, since: 20);

        Assert.Equal([21L, 24], events.Select(e => e.Version));
        Assert.Equal(new ReceiptsSummary(4, 3), Assert.IsType<ReceiptsSummaryEvent>(events[1]).Summary);
    }

    [Fact]
    public void TheConversationComesAtItsInfoVersionAndNothingBeyondTheChangeSetsVersion()
    {
        var view = new ConversationView(Conversation, ConversationTypes.Group, "renamed", null, DateTimeOffset.UtcNow, Alice, [], 0, null, 0, 0, 0);
        var beyond = Message(9, created: 40, version: 40);
        var changes = Changes(31, [beyond]) with { Conversation = view, InfoVersion = 31 };

        var events = ChangeReplay.Events(changes, since: 30);

        var updated = Assert.IsType<ConversationUpdatedEvent>(Assert.Single(events));
        Assert.Equal(31, updated.Version);
    }

    private static (string, long, long) Describe(ConversationEvent e) => e switch
    {
        MessageEvent m => ("received", m.Message.Seq, e.Version),
        MessageEditedEvent m => ("edited", m.Message.Seq, e.Version),
        MessageDeletedEvent d => ("deleted", d.Seq, e.Version),
        _ => (e.GetType().Name, 0, e.Version),
    };

    private static ConversationChangeSet Changes(long version, ImmutableArray<ChatMessage> messages) =>
        new(Conversation, version, messages, [], [], null, IsMember: true, HasMore: false);

    private static ChatMessage Message(long seq, long created, long version) =>
        new(Guid.NewGuid(), Conversation, seq, Alice, $"c{seq}", "text", $"message {seq}", "plain", null, DateTimeOffset.UtcNow,
            null, null, [], [], null, [], null, version, created);
}
