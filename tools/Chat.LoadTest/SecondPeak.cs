namespace Chat.LoadTest;

/// <summary>
/// The largest value recorded since the last <see cref="Take"/>: the progress line takes it every second, so a stall
/// shows in the second it happened instead of disappearing into a run-long percentile.
/// </summary>
public sealed class SecondPeak
{
    private long _peak;

    public void Record(long value)
    {
        var seen = Volatile.Read(ref _peak);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref _peak, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>The peak so far (0 when nothing was recorded), and a fresh start.</summary>
    public long Take() => Interlocked.Exchange(ref _peak, 0);
}
