using Chat.LoadTest;

namespace Chat.UnitTests;

/// <summary>The load tool's check: each acknowledged message reaches each member connection once, in order.</summary>
public sealed class DeliveryLedgerTests
{
    private static readonly Guid Conversation = Guid.NewGuid();
    private static readonly Dictionary<Guid, IReadOnlyList<int>> TwoMembers = new() { [Conversation] = [0, 1] };

    [Fact]
    public void EveryMessageOnceAndInOrderHolds()
    {
        var ledger = Acknowledged(1, 2, 3);
        Receive(ledger, 0, 1, 2, 3);
        Receive(ledger, 1, 1, 2, 3);

        Assert.Equal(new DeliveryLedger.Verdict(6, 0, 0, 0, 0), ledger.Verify(TwoMembers));
        Assert.True(ledger.Verify(TwoMembers).Holds);
    }

    [Fact]
    public void ALossAndADuplicateDoNotCancelOut()
    {
        var ledger = Acknowledged(1, 2, 3);
        Receive(ledger, 0, 1, 2, 3);
        Receive(ledger, 1, 1, 2, 2); // the same count of deliveries as a perfect run

        var verdict = ledger.Verify(TwoMembers);
        Assert.Equal((1L, 1L), (verdict.Lost, verdict.Duplicated));
        Assert.False(verdict.Holds);
    }

    [Fact]
    public void AnArrivalBehindAnEarlierOneIsOutOfOrder()
    {
        var ledger = Acknowledged(1, 2, 3);
        Receive(ledger, 0, 1, 3, 2);
        Receive(ledger, 1, 1, 2, 3);

        Assert.Equal(1, ledger.Verify(TwoMembers).OutOfOrder);
        Assert.False(ledger.Verify(TwoMembers).Holds);
    }

    [Fact]
    public void AMessageCommittedWhoseAckWasLostIsReportedNotFailed()
    {
        var ledger = Acknowledged(1, 3);
        Receive(ledger, 0, 1, 2, 3);
        Receive(ledger, 1, 1, 2, 3);

        var verdict = ledger.Verify(TwoMembers);
        Assert.Equal(2, verdict.Unacknowledged);
        Assert.True(verdict.Holds);
    }

    [Fact]
    public void TheSendTimeTravelsInTheClientMessageId()
    {
        Assert.Equal(123456789L, SendClock.SentAt(SendClock.Id(123456789, 42)));
        Assert.Null(SendClock.SentAt("someone-else's-id"));
        Assert.Null(SendClock.SentAt(null));
    }

    private static DeliveryLedger Acknowledged(params long[] seqs)
    {
        var ledger = new DeliveryLedger();
        foreach (var seq in seqs)
        {
            ledger.Acknowledged(Conversation, seq);
        }

        return ledger;
    }

    private static void Receive(DeliveryLedger ledger, int connection, params long[] seqs)
    {
        foreach (var seq in seqs)
        {
            ledger.Received(connection, Conversation, seq);
        }
    }
}
