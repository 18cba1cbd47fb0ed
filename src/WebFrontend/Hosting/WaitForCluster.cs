using System.Data.Common;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// A frontend that starts before the cluster waits for it instead of exiting: no gateway yet, a gateway listed but not
/// listening (a silo killed, or one still starting), the cluster's tables not there yet (the first silo creates them
/// on a fresh database), or PostgreSQL not answering. Orleans' own filter gives up after fifteen tries, and at once on
/// a database error, so a frontend that won the start-up race against the silo's schema died. Anything else (a
/// setting that can never work) still stops the start.
/// </summary>
internal sealed partial class WaitForCluster(TimeProvider time, ILogger<WaitForCluster> logger) : IClientConnectionRetryFilter
{
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || !IsClusterNotYetThere(exception))
        {
            return false;
        }

        var delay = DelayBefore(++_attempts);
        LogWaiting(logger, exception.GetType().Name, exception.Message, delay.TotalSeconds);
        await Task.Delay(delay, time, cancellationToken);
        return true;
    }

    internal static bool IsClusterNotYetThere(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or DbException
        || (exception is AggregateException { InnerExceptions: var inner } && inner.All(IsClusterNotYetThere));

    /// <summary>One second more for each attempt, up to five: quick while a cluster is starting, quiet while it is down.</summary>
    internal static TimeSpan DelayBefore(int attempt) => TimeSpan.FromSeconds(Math.Clamp(attempt, 1, 5));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the cluster ({Reason}: {Detail}); trying again in {Seconds} s")]
    private static partial void LogWaiting(ILogger logger, string reason, string detail, double seconds);
}
