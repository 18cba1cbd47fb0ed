using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// The live connections of this node: whose each is, its outbox (every event to a connection goes through it), and
/// when each user last did something (for the presence heartbeat). Written by <see cref="ConnectionTracker"/>.
/// What every event and every hub call does (finding an outbox, noting activity) takes no lock: a frontend serving
/// a big group does each tens of thousands of times a second. Only connecting and disconnecting do.
/// </summary>
public sealed class LocalConnections(
    TimeProvider clock,
    ChatHubLifetimeManager lifetime,
    IOptions<RealtimeOptions> options,
    ILogger<LocalConnections> logger)
{
    private readonly Lock _gate = new(); // guards each user's set of connections, and adding or removing users
    private readonly ConcurrentDictionary<Guid, LocalUser> _users = [];
    private readonly ConcurrentDictionary<string, ConnectionOutbox> _outboxes = [];

    /// <summary>Adds a connection; true when it is the user's first on this node.</summary>
    public bool Add(Guid userId, string connectionId)
    {
        var connection = lifetime.Find(connectionId) ?? throw new InvalidOperationException($"Connection {connectionId} is not live.");
        var outbox = new ConnectionOutbox(connection, options.Value.ConnectionBuffer, logger);
        lock (_gate)
        {
            _outboxes[connectionId] = outbox;
            var first = !_users.TryGetValue(userId, out var user);
            if (first)
            {
                user = new LocalUser(clock.GetUtcNow());
                _users[userId] = user;
            }

            user!.Connections.Add(connectionId);
            return first;
        }
    }

    /// <summary>Removes a connection and closes its outbox; true when it was the user's last on this node.</summary>
    public bool Remove(Guid userId, string connectionId)
    {
        lock (_gate)
        {
            if (_outboxes.TryRemove(connectionId, out var outbox))
            {
                outbox.Close();
            }

            if (!_users.TryGetValue(userId, out var user) || !user.Connections.Remove(connectionId) || user.Connections.Count > 0)
            {
                return false;
            }

            _users.TryRemove(userId, out _);
            return true;
        }
    }

    /// <summary>Queues an event for one connection; false when the connection is gone (or was closed for falling behind).</summary>
    public bool Send(string connectionId, SerializedHubMessage message) =>
        _outboxes.TryGetValue(connectionId, out var outbox) && outbox.Send(message);

    /// <summary>
    /// Closes a connection whose events can no longer be kept whole (a join that failed half way): its client
    /// reconnects and catches up with GetChanges, which is complete, rather than going on with a gap.
    /// </summary>
    public void Abort(string connectionId)
    {
        if (_outboxes.TryGetValue(connectionId, out var outbox))
        {
            outbox.Abort();
        }
    }

    /// <summary>Closes the user's connections opened with a token of this session (after logout or token theft).</summary>
    public int AbortSession(Guid userId, Guid sessionId)
    {
        List<ConnectionOutbox> revoked =
            [.. ConnectionsOf(userId).Select(id => _outboxes.GetValueOrDefault(id)).OfType<ConnectionOutbox>().Where(o => o.SessionId == sessionId)];
        revoked.ForEach(outbox => outbox.Abort());
        return revoked.Count;
    }

    /// <summary>Closes every connection of this node (it is shutting down); their clients reconnect elsewhere.</summary>
    public int AbortAll()
    {
        List<ConnectionOutbox> all = [.. _outboxes.Values];
        all.ForEach(outbox => outbox.Abort());
        return all.Count;
    }

    /// <summary>How many connections this node holds.</summary>
    public int Count => _outboxes.Count;

    public IReadOnlyList<string> ConnectionsOf(Guid userId)
    {
        lock (_gate)
        {
            return _users.TryGetValue(userId, out var user) ? [.. user.Connections] : [];
        }
    }

    /// <summary>The user did something (any hub call).</summary>
    public void Touch(Guid userId)
    {
        if (_users.TryGetValue(userId, out var user))
        {
            user.LastActivity = clock.GetUtcNow();
        }
    }

    /// <summary>Each local user with their connection ids and last activity: what the presence heartbeat reports.</summary>
    public IReadOnlyList<(Guid UserId, string[] ConnectionIds, DateTimeOffset LastActivity)> Users()
    {
        lock (_gate)
        {
            return [.. _users.Select(u => (u.Key, u.Value.Connections.ToArray(), u.Value.LastActivity))];
        }
    }

    private sealed class LocalUser(DateTimeOffset connectedAt)
    {
        private long _lastActivityTicks = connectedAt.UtcTicks;

        /// <summary>Guarded by the gate of <see cref="LocalConnections"/>.</summary>
        public HashSet<string> Connections { get; } = [];

        public DateTimeOffset LastActivity
        {
            get => new(Volatile.Read(ref _lastActivityTicks), TimeSpan.Zero);
            set => Volatile.Write(ref _lastActivityTicks, value.UtcTicks);
        }
    }
}
