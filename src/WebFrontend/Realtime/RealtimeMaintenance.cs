using Chat.Grains.Presence;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Keeps this node's real-time state honest: the lease probe repairs conversations whose stream fell silent,
/// user streams whose renewal failed are renewed again,
/// the heartbeat keeps presence sessions of live connections from expiring, and typists who went quiet stop.
/// </summary>
public sealed partial class RealtimeMaintenance(
    ConversationFeeds feeds,
    ConnectionTracker tracker,
    LocalConnections connections,
    TypingTracker typing,
    IClusterClient cluster,
    NodeIdentity node,
    IOptions<RealtimeOptions> options,
    ILogger<RealtimeMaintenance> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            EveryAsync(options.Value.ProbeInterval, feeds.ProbeAsync, stoppingToken),
            EveryAsync(options.Value.ProbeInterval, tracker.RenewFailedUsersAsync, stoppingToken),
            EveryAsync(options.Value.HeartbeatInterval, HeartbeatAsync, stoppingToken),
            EveryAsync(TimeSpan.FromSeconds(1), typing.ExpireAsync, stoppingToken));

    private async Task HeartbeatAsync()
    {
        await Task.WhenAll(connections.Users().Select(u =>
            cluster.GetGrain<IPresenceGrain>(u.UserId).HeartbeatAsync(u.ConnectionIds, node.Name, u.LastActivity)));
    }

    private async Task EveryAsync(TimeSpan interval, Func<Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await work();
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, exception, work.Method.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Real-time maintenance step {Step} failed; retrying next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string step);
}

/// <summary>A gateway lost or regained means stream subscriptions may be gone: renew them all, conversations' and users'.</summary>
/// <remarks>The feeds are resolved late: they depend on the cluster client, which depends on this observer.</remarks>
internal sealed class RenewOnGatewayChange(IServiceProvider services) : IClusterConnectionStatusObserver
{
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        services.GetRequiredService<ConversationFeeds>().RenewAll();
        _ = services.GetRequiredService<ConnectionTracker>().RenewUsersAsync();
    }

    public void NotifyClusterConnectionLost()
    {
    }
}
