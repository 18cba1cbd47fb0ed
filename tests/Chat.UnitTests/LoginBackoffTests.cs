using Chat.Grains.Accounts;

namespace Chat.UnitTests;

public sealed class LoginBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFirstFailuresAreFreeThenEachDoublesTheLockout()
    {
        var backoff = new LoginBackoff(freeFailures: 5, maxLockout: TimeSpan.FromMinutes(15));
        for (var i = 0; i < 5; i++)
        {
            backoff.Failed(T0);
            Assert.Null(backoff.Wait(T0));
        }

        var now = T0;
        foreach (var seconds in new[] { 1, 2, 4, 8, 16 })
        {
            backoff.Failed(now);
            Assert.Equal(TimeSpan.FromSeconds(seconds), backoff.Wait(now));
            Assert.Null(backoff.Wait(now + TimeSpan.FromSeconds(seconds)));
            now += TimeSpan.FromSeconds(seconds);
        }
    }

    [Fact]
    public void FailuresBelowTheFreeOnesAreRememberedUntilAQuietSpell()
    {
        var backoff = new LoginBackoff(freeFailures: 5, maxLockout: TimeSpan.FromMinutes(15));
        backoff.Failed(T0);
        Assert.False(backoff.IsClear(T0 + TimeSpan.FromMinutes(1)));
        Assert.True(backoff.IsClear(T0 + TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void TheLockoutNeverExceedsItsMaximumAndASuccessClearsIt()
    {
        var backoff = new LoginBackoff(freeFailures: 0, maxLockout: TimeSpan.FromMinutes(15));
        for (var i = 0; i < 100; i++)
        {
            backoff.Failed(T0);
        }

        Assert.Equal(TimeSpan.FromMinutes(15), backoff.Wait(T0));
        Assert.False(backoff.IsClear(T0 + TimeSpan.FromMinutes(20)));
        Assert.True(backoff.IsClear(T0 + TimeSpan.FromMinutes(30)));
        backoff.Succeeded();
        Assert.Null(backoff.Wait(T0));
        Assert.True(backoff.IsClear(T0));
    }
}
