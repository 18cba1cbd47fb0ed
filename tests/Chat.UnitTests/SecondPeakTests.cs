using Chat.LoadTest;

namespace Chat.UnitTests;

/// <summary>The load tool's per-second worst case, which places a stall in time.</summary>
public sealed class SecondPeakTests
{
    [Fact]
    public void TakeGivesTheLargestValueAndStartsAfresh()
    {
        var peak = new SecondPeak();
        peak.Record(3);
        peak.Record(9);
        peak.Record(4);

        Assert.Equal(9, peak.Take());
        Assert.Equal(0, peak.Take());
        peak.Record(2);
        Assert.Equal(2, peak.Take());
    }

    [Fact]
    public async Task ConcurrentRecordsKeepTheLargest()
    {
        var peak = new SecondPeak();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                peak.Record((i * 4) + worker);
            }
        })));

        Assert.Equal((99_999 * 4) + 3, peak.Take());
    }
}
