using System.Globalization;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// SignalR gives each connection a pair of pipes that rent 4 KiB buffers from <c>ArrayPool&lt;byte&gt;.Shared</c> for as
/// long as a message sits in them. An event fanned out to a thousand connections, or a thousand receipts arriving at
/// once, has a thousand buffers out together, and the shared pool keeps only 32 of a size per core: the rest were
/// allocated and dropped every time, half of what the frontend allocated in the 1,000-member group benchmark and most
/// of its GC pauses (BENCHMARKS.md). The pool reads its size from the environment once, on first use, so this runs
/// first in Main. An operator's own setting wins.
/// </summary>
public static class SharedBufferPool
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Buffers of one size kept per core: 8 MiB of 4 KiB buffers on two cores, only once that many were out.</summary>
    public const int ArraysPerSizePerCore = 1024;

    public static void SizeForFanOut()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
            Environment.SetEnvironmentVariable(Variable, ArraysPerSizePerCore.ToString(CultureInfo.InvariantCulture));
    }
}
