using Chat.Grains.Conversations;

namespace Chat.UnitTests;

public sealed class PendingReceiptsTests
{
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();
    private static readonly Guid Stranger = Guid.NewGuid();

    [Fact]
    public void ReceiptsOfOneMemberMergeToTheFurthestAndShareTheFlushesTask()
    {
        var pending = new PendingReceipts();
        var first = pending.Add(new ReceiptMark(Alice, 7, Read: false));
        var second = pending.Add(new ReceiptMark(Alice, 4, Read: true));
        pending.Add(new ReceiptMark(Alice, 5, Read: false));

        var (marks, stored) = pending.Take();

        Assert.Same(first, second);
        Assert.Same(first, stored.Task);
        Assert.Equal(new PendingReceipts.Watermarks(Delivered: 7, Read: 4), marks[Alice]);
        Assert.True(pending.IsEmpty);
        Assert.NotSame(first, pending.Add(new ReceiptMark(Bob, 1, Read: true))); // the next flush
    }

    [Fact]
    public void AFlushMovesOnlyMembersItMovesForwardAndReadingImpliesDelivery()
    {
        var members = new Dictionary<Guid, ConversationMember>
        {
            [Alice] = Member(Alice, delivered: 9, read: 2),
            [Bob] = Member(Bob, delivered: 6, read: 6),
        };
        var marks = new Dictionary<Guid, PendingReceipts.Watermarks>
        {
            [Alice] = new(Delivered: 0, Read: 5),
            [Bob] = new(Delivered: 3, Read: 3), // behind: nothing moves
            [Stranger] = new(Delivered: 8, Read: 8), // left meanwhile
        };

        var moved = Assert.Single(PendingReceipts.Advance(marks, members));

        Assert.Equal((Alice, 9L, 5L), (moved.UserId, moved.DeliveredSeq, moved.ReadSeq));
        var read = Assert.Single(PendingReceipts.Advance(new Dictionary<Guid, PendingReceipts.Watermarks> { [Bob] = new(Delivered: 0, Read: 11) }, members));
        Assert.Equal((11L, 11L), (read.DeliveredSeq, read.ReadSeq));
    }

    [Fact]
    public void TheSummaryIsWhereTheFurthestBehindStands()
    {
        Assert.Equal(new ReceiptsSummary(DeliveredSeq: 6, ReadSeq: 2), PendingReceipts.Summarize([Member(Alice, 9, 2), Member(Bob, 6, 6)]));
        Assert.Equal(new ReceiptsSummary(0, 0), PendingReceipts.Summarize([]));
    }

    private static ConversationMember Member(Guid id, long delivered, long read) =>
        new(id, MemberRoles.Member, DateTimeOffset.UtcNow, ReadSeq: read, DeliveredSeq: delivered);
}
