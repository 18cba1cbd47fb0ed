using Chat.Grains.Conversations;

namespace Chat.UnitTests;

public sealed class DueReminderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AReminderArmedEarlierCoversALaterTimeButNotAnEarlierOne()
    {
        Assert.True(DueReminder.Covers(armedFor: Now, due: Now.AddMinutes(5)));
        Assert.True(DueReminder.Covers(armedFor: Now, due: Now));
        Assert.False(DueReminder.Covers(armedFor: Now.AddMinutes(5), due: Now));
        Assert.False(DueReminder.Covers(armedFor: null, due: Now)); // a fresh activation knows nothing
        Assert.False(DueReminder.Covers(armedFor: Now, due: null)); // "whatever is due next" is always looked up
    }

    [Fact]
    public void OnlyAKnownLaterReminderLetsTheNewTimeStandAlone()
    {
        Assert.False(DueReminder.MustReadStored(armedFor: Now.AddHours(1), due: Now));
        Assert.True(DueReminder.MustReadStored(armedFor: null, due: Now));
        Assert.True(DueReminder.MustReadStored(armedFor: Now, due: null));
    }

    [Fact]
    public void TheEarliestTimeWinsAndNoneMeansNoReminder()
    {
        Assert.Equal(Now, DueReminder.Earliest(Now.AddMinutes(1), null, Now));
        Assert.Null(DueReminder.Earliest(null, null));
    }

    [Fact]
    public void SomethingAlreadyDueFiresAtOnce()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), DueReminder.DueIn(Now.AddMinutes(2), Now));
        Assert.Equal(TimeSpan.Zero, DueReminder.DueIn(Now.AddMinutes(-2), Now));
    }
}
