using System.Collections.Immutable;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Chat.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Grains.Presence;

/// <summary>
/// A user's live sessions and what others see of them. Shown status: offline without a live session or when the
/// user chose invisible; busy or away when chosen; otherwise online, turning away after a stretch without
/// activity. A timer expires sessions whose frontend stopped sending heartbeats. Changes go to the streams of the
/// user's conversations (one event per frontend serving each, not one per member) with the users they blocked
/// left out, and to the user streams of contacts.
/// </summary>
[GrainType("presence")]
internal sealed partial class PresenceGrain(
    [PersistentState("presence", "chat")] IPersistentState<PresenceState> state,
    MemberStore members,
    ContactStore contacts,
    IOptions<PresenceOptions> options,
    TimeProvider clock,
    ILogger<PresenceGrain> logger) : Grain, IPresenceGrain
{
    private readonly Dictionary<string, (string Node, DateTimeOffset LastHeartbeat)> _sessions = [];
    private DateTimeOffset _lastActivity;
    private PresenceStatus? _published;
    private IGrainTimer? _ticker;
    private IGrainTimer? _deferredPublish;
    private long? _lastPublishedAt; // a monotonic timestamp: a wall clock set back must not hold publishing up

    private Guid Id => this.GetPrimaryKey();

    public Task ConnectAsync(string connectionId, string frontendNode) => TouchAsync([connectionId], frontendNode, clock.GetUtcNow());

    public Task HeartbeatAsync(IReadOnlyList<string> connectionIds, string frontendNode, DateTimeOffset? lastActivityAt) =>
        TouchAsync(connectionIds, frontendNode, lastActivityAt);

    public async Task DisconnectAsync(string connectionId)
    {
        if (_sessions.Remove(connectionId) && _sessions.Count == 0)
        {
            await WentOfflineAsync();
        }
    }

    public async Task<PresenceStatus> SetStatusAsync(string status, string? customStatus)
    {
        if (!PresenceStates.IsChoosable(status))
        {
            throw ChatException.Validation("status must be online, away, busy or invisible.");
        }

        customStatus = string.IsNullOrWhiteSpace(customStatus) ? null : customStatus.Trim();
        if (customStatus?.Length > PresenceStates.MaxCustomStatusLength || (customStatus is not null && !TextRules.IsCleanName(customStatus)))
        {
            throw ChatException.Validation($"customStatus must be at most {PresenceStates.MaxCustomStatusLength} characters of one line of visible text.");
        }

        if (status == PresenceStates.Invisible && state.State.ChosenStatus != PresenceStates.Invisible && _sessions.Count > 0)
        {
            state.State.LastSeenAt = clock.UtcNowForStorage(); // others last saw them now
        }

        (state.State.ChosenStatus, state.State.CustomStatus) = (status, customStatus);
        await state.WriteStateAsync();
        _lastActivity = clock.GetUtcNow(); // choosing a status is activity
        await PublishIfChangedAsync();
        return Shown();
    }

    public Task<bool> HasLiveSessionAsync() => Task.FromResult(_sessions.Count > 0);

    public async Task<PresenceStatus> GetAsync(Guid viewerId) =>
        viewerId == Id || await MayBeSeenByAsync(viewerId) ? Shown() : new PresenceStatus(Id, PresenceStates.Offline, null, null);

    private async Task TouchAsync(IReadOnlyList<string> connectionIds, string node, DateTimeOffset? lastActivityAt)
    {
        var now = clock.UtcNowForStorage();
        foreach (var connectionId in connectionIds)
        {
            _sessions[connectionId] = (node, now);
        }

        if (lastActivityAt > _lastActivity)
        {
            _lastActivity = lastActivityAt.Value;
        }

        _ticker ??= this.RegisterGrainTimer(TickAsync, options.Value.HeartbeatInterval, options.Value.HeartbeatInterval);
        await PublishIfChangedAsync();
    }

    /// <summary>Expires sessions without heartbeat and notices a user going away through inactivity.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var deadline = clock.UtcNowForStorage() - options.Value.SessionTimeout;
        var dead = _sessions.Where(s => s.Value.LastHeartbeat < deadline).Select(s => s.Key).ToList();
        dead.ForEach(id => _sessions.Remove(id));
        if (dead.Count > 0 && _sessions.Count == 0)
        {
            LogSessionsExpired(logger, Id, dead.Count);
            await WentOfflineAsync();
            return;
        }

        await PublishIfChangedAsync();
    }

    private async Task WentOfflineAsync()
    {
        if (state.State.ChosenStatus != PresenceStates.Invisible)
        {
            state.State.LastSeenAt = clock.UtcNowForStorage();
            await state.WriteStateAsync();
        }

        _ticker?.Dispose();
        _ticker = null;
        await PublishIfChangedAsync();
    }

    /// <summary>What others are shown now.</summary>
    private PresenceStatus Shown()
    {
        var s = state.State;
        var status = _sessions.Count == 0 || s.ChosenStatus == PresenceStates.Invisible ? PresenceStates.Offline
            : s.ChosenStatus != PresenceStates.Online ? s.ChosenStatus
            : clock.GetUtcNow() - _lastActivity > options.Value.AwayAfter ? PresenceStates.Away
            : PresenceStates.Online;
        // An invisible user's last-seen time would give them away: it stays at their last visible moment.
        return new PresenceStatus(Id, status, status == PresenceStates.Offline ? null : s.CustomStatus, s.LastSeenAt);
    }

    private async Task PublishIfChangedAsync()
    {
        var shown = Shown();
        if (shown == _published || (_published is null && shown.Status == PresenceStates.Offline) || _deferredPublish is not null)
        {
            return;
        }

        var interval = options.Value.MinPublishInterval;
        var wait = _lastPublishedAt is { } last ? interval - clock.GetElapsedTime(last) : TimeSpan.Zero;
        if (wait > TimeSpan.Zero)
        {
            // Too soon after the last one: publish whatever is shown then, once.
            _deferredPublish = this.RegisterGrainTimer(async () =>
            {
                _deferredPublish?.Dispose();
                _deferredPublish = null;
                await PublishIfChangedAsync();
            }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan));
            return;
        }

        _published = shown;
        _lastPublishedAt = clock.GetTimestamp();
        var blocked = await contacts.ListBlocksAsync(Id);
        var provider = this.GetStreamProvider(ChatStreams.Provider);
        foreach (var conversationId in await members.ConversationIdsUpToAsync(Id, options.Value.PushedUpTo))
        {
            await provider.GetStream<ConversationEvent>(ChatStreams.Conversation(conversationId))
                .OnNextAsync(new PresenceEvent(conversationId, shown, blocked));
        }

        foreach (var contact in (await contacts.ListAsync(Id)).Where(c => c.State == ContactStates.Accepted && !blocked.Contains(c.UserId)))
        {
            await provider.GetStream<UserEvent>(ChatStreams.User(contact.UserId)).OnNextAsync(new ContactPresenceEvent(contact.UserId, shown));
        }
    }

    /// <summary>Contacts and co-members may see presence, unless this user blocked them.</summary>
    private async Task<bool> MayBeSeenByAsync(Guid viewerId)
    {
        if ((await contacts.ListBlocksAsync(Id)).Contains(viewerId))
        {
            return false;
        }

        if (await contacts.FindAsync(Id, viewerId) is { State: ContactStates.Accepted })
        {
            return true;
        }

        var mine = await members.ConversationIdsAsync(Id);
        var theirs = await members.ConversationIdsAsync(viewerId);
        return mine.Intersect(theirs).Any();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Count} session(s) expired without heartbeat")]
    private static partial void LogSessionsExpired(ILogger logger, Guid userId, int count);
}
