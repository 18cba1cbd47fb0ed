using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Grains.Presence;

/// <summary>
/// A user's live sessions. Status is derived: online while any session has a recent heartbeat. A timer expires
/// sessions whose frontend stopped sending heartbeats. Changes go to the streams of the user's conversations,
/// so each frontend receives one event per conversation it serves, not one per member.
/// </summary>
[GrainType("presence")]
internal sealed partial class PresenceGrain(
    [PersistentState("presence", "chat")] IPersistentState<PresenceState> state,
    MemberStore members,
    IOptions<PresenceOptions> options,
    TimeProvider clock,
    ILogger<PresenceGrain> logger) : Grain, IPresenceGrain
{
    private readonly Dictionary<string, (string Node, DateTimeOffset LastHeartbeat)> _sessions = [];
    private IGrainTimer? _expiry;

    private Guid Id => this.GetPrimaryKey();

    public Task ConnectAsync(string connectionId, string frontendNode) => TouchAsync([connectionId], frontendNode);

    public Task HeartbeatAsync(IReadOnlyList<string> connectionIds, string frontendNode) => TouchAsync(connectionIds, frontendNode);

    public async Task DisconnectAsync(string connectionId)
    {
        if (_sessions.Remove(connectionId) && _sessions.Count == 0)
        {
            await WentOfflineAsync();
        }
    }

    public Task<PresenceStatus> GetAsync() => Task.FromResult(Current());

    private async Task TouchAsync(IReadOnlyList<string> connectionIds, string node)
    {
        var wasOffline = _sessions.Count == 0;
        var now = clock.UtcNowForStorage();
        foreach (var connectionId in connectionIds)
        {
            _sessions[connectionId] = (node, now);
        }

        _expiry ??= this.RegisterGrainTimer(ExpireAsync, options.Value.HeartbeatInterval, options.Value.HeartbeatInterval);
        if (wasOffline && _sessions.Count > 0)
        {
            await PublishAsync();
        }
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var deadline = clock.UtcNowForStorage() - options.Value.SessionTimeout;
        var dead = _sessions.Where(s => s.Value.LastHeartbeat < deadline).Select(s => s.Key).ToList();
        dead.ForEach(id => _sessions.Remove(id));
        if (dead.Count > 0 && _sessions.Count == 0)
        {
            LogSessionsExpired(logger, Id, dead.Count);
            await WentOfflineAsync();
        }
    }

    private async Task WentOfflineAsync()
    {
        state.State.LastSeenAt = clock.UtcNowForStorage();
        await state.WriteStateAsync();
        _expiry?.Dispose();
        _expiry = null;
        await PublishAsync();
    }

    private PresenceStatus Current() =>
        new(Id, _sessions.Count > 0 ? PresenceStates.Online : PresenceStates.Offline, null, state.State.LastSeenAt);

    private async Task PublishAsync()
    {
        var presence = Current();
        var provider = this.GetStreamProvider(ChatStreams.Provider);
        foreach (var conversationId in await members.ConversationIdsAsync(Id))
        {
            await provider.GetStream<ConversationEvent>(ChatStreams.Conversation(conversationId))
                .OnNextAsync(new PresenceEvent(conversationId, presence));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Count} session(s) expired without heartbeat")]
    private static partial void LogSessionsExpired(ILogger logger, Guid userId, int count);
}
