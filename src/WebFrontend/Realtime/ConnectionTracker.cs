using Chat.Grains.Conversations;
using Chat.Grains.History;
using Chat.Grains.Presence;
using Chat.Grains.Streams;
using Chat.Grains.Users;
using Chat.WebFrontend.Api;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Connections coming and going on this node. A connection joins the feeds of its user's conversations; each local
/// user has one subscription to their user stream (joining a conversation while connected, contact events), which
/// is renewed, and the memberships reconciled, when the cluster connection changes. A connect that fails cleans up
/// after itself as a disconnect would.
/// </summary>
public sealed partial class ConnectionTracker(
    IClusterClient cluster,
    ConversationFeeds feeds,
    NodeIdentity node,
    LocalConnections local,
    IOptions<RealtimeOptions> options,
    ILogger<ConnectionTracker> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Guid> _connections = [];
    private readonly Dictionary<Guid, LocalUser> _users = [];

    public async Task ConnectedAsync(string connectionId, Guid userId)
    {
        try
        {
            LocalUser user;
            lock (_gate)
            {
                _connections[connectionId] = userId;
                if (!_users.TryGetValue(userId, out user!))
                {
                    _users[userId] = user = new LocalUser(userId);
                }

                user.Connections.Add(connectionId);
            }

            local.Add(userId, connectionId);
            feeds.Open(connectionId);
            await SubscribedAsync(user); // before listing conversations, so a join in between is not missed
            var conversationIds = await cluster.GetGrain<IUserGrain>(userId).GetConversationIdsAsync();
            await Task.WhenAll(conversationIds.Select(id => feeds.JoinAsync(connectionId, userId, id, since: null)));
            await cluster.GetGrain<IPresenceGrain>(userId).ConnectAsync(connectionId, node.Name);
            LogConnected(logger, connectionId, userId, conversationIds.Length);
        }
        catch
        {
            await DisconnectedAsync(connectionId);
            throw;
        }
    }

    public async Task DisconnectedAsync(string connectionId)
    {
        Guid userId;
        LocalUser? lastOfUser = null;
        lock (_gate)
        {
            if (!_connections.Remove(connectionId, out userId))
            {
                return;
            }

            if (_users.TryGetValue(userId, out var user) && user.Connections.Remove(connectionId) && user.Connections.Count == 0)
            {
                _users.Remove(userId);
                lastOfUser = user;
            }
        }

        feeds.Close(connectionId);
        local.Remove(userId, connectionId);
        LogDisconnected(logger, connectionId);
        if (lastOfUser?.Subscription is { IsCompletedSuccessfully: true } subscription)
        {
            await IgnoreFailureAsync(() => subscription.Result.UnsubscribeAsync());
        }

        await IgnoreFailureAsync(() => cluster.GetGrain<IPresenceGrain>(userId).DisconnectAsync(connectionId));
    }

    /// <summary>Whether the connection is in the conversation (so its user is a member, as of joining).</summary>
    public bool IsIn(string connectionId, Guid conversationId) => feeds.IsIn(connectionId, conversationId);

    /// <summary>
    /// After a gateway change: user streams may have lost their subscriptions, and with them joins and removals. Each
    /// local user is subscribed anew, then their connections are put in every conversation they belong to and
    /// checked out of those they left.
    /// </summary>
    public Task RenewUsersAsync() => RenewAsync(_ => true);

    /// <summary>Renews again the users whose last renewal failed (a gateway change may not come again to retry it).</summary>
    public Task RenewFailedUsersAsync() => RenewAsync(user => user.RenewFailed);

    private async Task RenewAsync(Func<LocalUser, bool> which)
    {
        LocalUser[] users;
        lock (_gate)
        {
            users = [.. _users.Values.Where(which)];
        }

        await Task.WhenAll(users.Select(async user =>
        {
            try
            {
                await RenewAsync(user);
                user.RenewFailed = false;
            }
            catch (Exception exception)
            {
                user.RenewFailed = true;
                LogRenewFailed(logger, exception, user.UserId);
            }
        }));
    }

    private async Task RenewAsync(LocalUser user)
    {
        Task<StreamSubscriptionHandle<UserEvent>>? old;
        lock (_gate)
        {
            old = user.Subscription;
            user.Subscription = null;
        }

        if (old is { IsCompletedSuccessfully: true })
        {
            await IgnoreFailureAsync(() => old.Result.UnsubscribeAsync().WaitAsync(options.Value.CallTimeout));
        }

        // Bounded, like the feeds' upkeep: a call lost with a crashed silo would otherwise hold this renewal, and the
        // retries of every other failed one, for the client's 30-s response timeout.
        await SubscribedAsync(user).WaitAsync(options.Value.CallTimeout);
        var member = (await cluster.GetGrain<IUserGrain>(user.UserId).GetConversationIdsAsync().WaitAsync(options.Value.CallTimeout)).ToHashSet();
        foreach (var connectionId in local.ConnectionsOf(user.UserId))
        {
            foreach (var left in feeds.ConversationsOf(connectionId).Where(id => !member.Contains(id)))
            {
                feeds.EnforceRemoval(left, user.UserId);
            }

            // A join missed meanwhile (its event lost with the old subscription) is replayed from the joining on.
            foreach (var id in member.Where(id => !feeds.IsIn(connectionId, id)))
            {
                var since = await cluster.GetGrain<IHistoryGrain>(0).GetJoinedSinceAsync(id, user.UserId);
                await JoinOrCloseAsync(connectionId, new JoinedConversationEvent(user.UserId, id, since));
            }
        }
    }

    /// <summary>The user's stream subscription, made anew when there is none or the last attempt failed.</summary>
    private Task<StreamSubscriptionHandle<UserEvent>> SubscribedAsync(LocalUser user)
    {
        lock (_gate)
        {
            if (user.Subscription is null or { IsFaulted: true } or { IsCanceled: true })
            {
                user.Subscription = SubscribeUserAsync(user.UserId);
            }

            return user.Subscription;
        }
    }

    private async Task<StreamSubscriptionHandle<UserEvent>> SubscribeUserAsync(Guid userId)
    {
        var stream = cluster.GetStreamProvider(ChatStreams.Provider).GetStream<UserEvent>(ChatStreams.User(userId));
        return await stream.SubscribeAsync(async (@event, _) =>
        {
            var connectionIds = local.ConnectionsOf(@event.UserId);
            switch (@event)
            {
                case JoinedConversationEvent joined:
                    LogJoinedEvent(logger, joined.UserId, joined.ConversationId);
                    await Task.WhenAll(connectionIds.Select(connectionId => JoinOrCloseAsync(connectionId, joined)));
                    break;
                case LeftConversationEvent left:
                    feeds.EnforceRemoval(left.ConversationId, left.UserId);
                    break;
                case ContactPresenceEvent { Presence: var p }:
                    var presence = new Hubs.PresenceDto(p.UserId, p.Status, p.CustomStatus, p.LastSeenAt);
                    SendToAll(connectionIds, ClientEvents.Event(nameof(Hubs.IChatClient.presenceChanged), presence));
                    break;
                case ContactRequestEvent request:
                    var contact = new Hubs.ContactRequestDto(request.FromUserId);
                    SendToAll(connectionIds, ClientEvents.Event(nameof(Hubs.IChatClient.contactRequest), contact));
                    break;
                case SessionRevokedEvent revoked:
                    LogSessionRevoked(logger, revoked.UserId, local.AbortSession(revoked.UserId, revoked.SessionId));
                    break;
                case MessageHiddenEvent hidden:
                    var deleted = new MessageDeletedDto(hidden.ConversationId, hidden.Seq, DeleteScopes.Me, null);
                    SendToAll(connectionIds, ClientEvents.Event(nameof(Hubs.IChatClient.messageDeleted), deleted));
                    break;
            }
        });
    }

    /// <summary>A live connection that could not join (a silo going down, say) is closed rather than left without the conversation.</summary>
    private async Task JoinOrCloseAsync(string connectionId, JoinedConversationEvent joined)
    {
        try
        {
            await feeds.JoinAsync(connectionId, joined.UserId, joined.ConversationId, joined.SinceVersion);
        }
        catch (Exception exception)
        {
            LogJoinFailed(logger, exception, connectionId, joined.ConversationId);
            local.Abort(connectionId);
        }
    }

    private void SendToAll(IEnumerable<string> connectionIds, Microsoft.AspNetCore.SignalR.SerializedHubMessage send)
    {
        foreach (var connectionId in connectionIds)
        {
            local.Send(connectionId, send);
        }
    }

    private async Task IgnoreFailureAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception)
        {
            LogCleanupFailed(logger, exception);
        }
    }

    private sealed class LocalUser(Guid userId)
    {
        public Guid UserId { get; } = userId;
        public Task<StreamSubscriptionHandle<UserEvent>>? Subscription { get; set; }
        public HashSet<string> Connections { get; } = [];
        public volatile bool RenewFailed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} of user {UserId} joined {Count} conversation(s)")]
    private static partial void LogConnected(ILogger logger, string connectionId, Guid userId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} joined conversation {ConversationId}")]
    private static partial void LogJoinedEvent(ILogger logger, Guid userId, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} left")]
    private static partial void LogDisconnected(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cleanup after a disconnect failed")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} could not join conversation {ConversationId}; closed so that its client catches up")]
    private static partial void LogJoinFailed(ILogger logger, Exception exception, string connectionId, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: session revoked, {Count} connection(s) closed")]
    private static partial void LogSessionRevoked(ILogger logger, Guid userId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the user stream of {UserId} failed; retried at the next probe")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, Guid userId);
}

/// <summary>This frontend's name in presence sessions.</summary>
public sealed record NodeIdentity(string Name);
