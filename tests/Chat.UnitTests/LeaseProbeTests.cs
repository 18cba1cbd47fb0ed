using Chat.WebFrontend.Realtime;

namespace Chat.UnitTests;

public sealed class LeaseProbeTests
{
    [Fact]
    public void AVersionCommittedSinceThePreviousCheckIsLeftToADeliveringStream()
    {
        var probe = new LeaseProbe(startVersion: 5);

        Assert.Equal((false, false), probe.Check(version: 6, forwarded: 5, heard: true));
    }

    [Fact]
    public void WhatWasCommittedBeforeThePreviousCheckAndStillMissingIsRepaired()
    {
        var probe = new LeaseProbe(startVersion: 5);
        probe.Check(version: 6, forwarded: 5, heard: true);

        Assert.Equal((true, false), probe.Check(version: 6, forwarded: 5, heard: true)); // the stream delivers: no renewal
    }

    [Fact]
    public void ASilentStreamIsRepairedAtOnceAndRenewedOnceSomethingIsOverdue()
    {
        var probe = new LeaseProbe(startVersion: 5);

        Assert.Equal((true, false), probe.Check(version: 6, forwarded: 5, heard: false));
        Assert.Equal((true, true), probe.Check(version: 9, forwarded: 5, heard: false)); // 6 is still missing
    }

    [Fact]
    public void WhatArrivedMeanwhileNeedsNothing()
    {
        var probe = new LeaseProbe(startVersion: 5);
        probe.Check(version: 6, forwarded: 5, heard: true);

        Assert.Equal((false, false), probe.Check(version: 8, forwarded: 6, heard: true));
    }
}
