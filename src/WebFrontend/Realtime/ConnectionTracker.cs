using Chat.Grains.Conversations;
using Chat.Grains.Presence;
using Chat.Grains.Streams;
using Chat.Grains.Users;
using Chat.WebFrontend.Api;
using Chat.WebFrontend.Hubs;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Which users and conversations this node's connections belong to. It puts each connection in the SignalR
/// groups of its conversations, holds the matching <see cref="ConversationFeeds"/> leases, and subscribes once
/// per local user to the user stream, so a conversation joined while connected starts flowing at once.
/// </summary>
public sealed partial class ConnectionTracker(
    IClusterClient cluster,
    ConversationFeeds feeds,
    NodeIdentity node,
    LocalConnections local,
    IHubContext<ChatHub, IChatClient> hub,
    ILogger<ConnectionTracker> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Guid UserId, HashSet<Guid> Conversations)> _connections = [];
    private readonly Dictionary<Guid, LocalUser> _users = [];

    public async Task ConnectedAsync(string connectionId, Guid userId)
    {
        LocalUser user;
        lock (_gate)
        {
            _connections[connectionId] = (userId, []);
            if (!_users.TryGetValue(userId, out user!))
            {
                _users[userId] = user = new LocalUser(SubscribeUserAsync(userId));
            }

            user.Connections.Add(connectionId);
        }

        local.Add(userId, connectionId);
        await user.Subscription; // before listing conversations, so a join in between is not missed
        var conversationIds = await cluster.GetGrain<IUserGrain>(userId).GetConversationIdsAsync();
        await Task.WhenAll(conversationIds.Select(id => JoinAsync(connectionId, id, fromSeq: null)));

        await cluster.GetGrain<IPresenceGrain>(userId).ConnectAsync(connectionId, node.Name);
        LogConnected(logger, connectionId, userId, conversationIds.Length);
    }

    public async Task DisconnectedAsync(string connectionId)
    {
        Guid userId;
        Guid[] conversations;
        StreamSubscriptionHandle<UserEvent>? userSubscription = null;
        lock (_gate)
        {
            if (!_connections.Remove(connectionId, out var connection))
            {
                return;
            }

            (userId, conversations) = (connection.UserId, [.. connection.Conversations]);
            if (_users.TryGetValue(userId, out var user) && user.Connections.Remove(connectionId) && user.Connections.Count == 0)
            {
                _users.Remove(userId);
                userSubscription = user.Subscription.IsCompletedSuccessfully ? user.Subscription.Result : null;
            }
        }

        local.Remove(userId, connectionId);
        foreach (var conversationId in conversations)
        {
            await feeds.ReleaseAsync(conversationId);
        }

        LogDisconnected(logger, connectionId, conversations.Length);

        await IgnoreFailureAsync(() => userSubscription?.UnsubscribeAsync() ?? Task.CompletedTask);
        await IgnoreFailureAsync(() => cluster.GetGrain<IPresenceGrain>(userId).DisconnectAsync(connectionId));
    }

    /// <summary>Whether the connection is in the conversation's group (so its user is a member, as of joining).</summary>
    public bool IsIn(string connectionId, Guid conversationId)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(connectionId, out var connection) && connection.Conversations.Contains(conversationId);
        }
    }

    private async Task JoinAsync(string connectionId, Guid conversationId, long? fromSeq)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out var connection) || !connection.Conversations.Add(conversationId))
            {
                return;
            }
        }

        await feeds.AddConnectionAsync(conversationId, connectionId, fromSeq);
        bool gone;
        lock (_gate)
        {
            gone = !_connections.ContainsKey(connectionId);
        }

        if (gone)
        {
            await feeds.ReleaseAsync(conversationId); // disconnected meanwhile: its release already ran without this lease
        }
    }

    /// <summary>Takes a connection out of a conversation its user left: no more of its events, one lease fewer.</summary>
    private async Task LeaveAsync(string connectionId, LeftConversationEvent left)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out var connection) || !connection.Conversations.Remove(left.ConversationId))
            {
                return;
            }
        }

        try
        {
            await feeds.RemoveConnectionAsync(left.ConversationId, connectionId, left.UserId, left.By);
        }
        finally
        {
            await feeds.ReleaseAsync(left.ConversationId);
        }
    }

    private async Task<StreamSubscriptionHandle<UserEvent>> SubscribeUserAsync(Guid userId)
    {
        var stream = cluster.GetStreamProvider(ChatStreams.Provider).GetStream<UserEvent>(ChatStreams.User(userId));
        return await stream.SubscribeAsync(async (@event, _) =>
        {
            string[] connectionIds;
            lock (_gate)
            {
                connectionIds = _users.TryGetValue(@event.UserId, out var user) ? [.. user.Connections] : [];
            }

            switch (@event)
            {
                case JoinedConversationEvent joined:
                    LogJoinedEvent(logger, joined.UserId, joined.ConversationId);
                    foreach (var connectionId in connectionIds)
                    {
                        await JoinAsync(connectionId, joined.ConversationId, joined.FromSeq);
                    }

                    break;
                case LeftConversationEvent left:
                    await Task.WhenAll(connectionIds.Select(connectionId => LeaveAsync(connectionId, left)));
                    break;
                case ContactPresenceEvent { Presence: var p }:
                    await hub.Clients.Clients(connectionIds).presenceChanged(new PresenceDto(p.UserId, p.Status, p.CustomStatus, p.LastSeenAt));
                    break;
                case ContactRequestEvent request:
                    await hub.Clients.Clients(connectionIds).contactRequest(new ContactRequestDto(request.FromUserId));
                    break;
                case MessageHiddenEvent hidden:
                    await hub.Clients.Clients(connectionIds).messageDeleted(new MessageDeletedDto(hidden.ConversationId, hidden.Seq, DeleteScopes.Me));
                    break;
            }
        });
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

    private sealed class LocalUser(Task<StreamSubscriptionHandle<UserEvent>> subscription)
    {
        public Task<StreamSubscriptionHandle<UserEvent>> Subscription { get; } = subscription;
        public HashSet<string> Connections { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} of user {UserId} joined {Count} conversation(s)")]
    private static partial void LogConnected(ILogger logger, string connectionId, Guid userId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} joined conversation {ConversationId}")]
    private static partial void LogJoinedEvent(ILogger logger, Guid userId, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} left, releasing {Count} conversation(s)")]
    private static partial void LogDisconnected(ILogger logger, string connectionId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cleanup after a disconnect failed")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}

/// <summary>This frontend's name in presence sessions.</summary>
public sealed record NodeIdentity(string Name);
