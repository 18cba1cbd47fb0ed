using Orleans.Runtime.Providers;

namespace Chat.Grains.Streams;

/// <summary>
/// How long a pulling agent waits before reading its queue again after a read failed. Orleans' default waits 10 to
/// 20 s, which suits a remote queue service; ours is a grain, and a read fails when the silo that held it died.
/// A read in flight to that silo fails once the silo is declared dead, and the next read activates the queue on a
/// live silo, so it is worth trying again at once: waiting 10 s more held every event of the queue back that long
/// after a silo crash (scripts/chaos.sh, RELIABILITY.md).
/// </summary>
public sealed class QueueReadBackoff : IQueueReaderBackoffProvider
{
    /// <summary>0.1 s after the first failure, doubling up to 1 s.</summary>
    public TimeSpan Next(int attempt) => TimeSpan.FromMilliseconds(Math.Min(100 << Math.Clamp(attempt, 0, 4), 1000));
}
