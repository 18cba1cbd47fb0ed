using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// The live connections of this node: whose each is, its outbox (every event to a connection goes through it), and
/// when each user last did something (for the presence heartbeat). Written by <see cref="ConnectionTracker"/>.
/// </summary>
public sealed class LocalConnections(
    TimeProvider clock,
    ChatHubLifetimeManager lifetime,
    IOptions<RealtimeOptions> options,
    ILogger<LocalConnections> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, (HashSet<string> Connections, DateTimeOffset LastActivity)> _users = [];
    private readonly Dictionary<string, ConnectionOutbox> _outboxes = [];

    /// <summary>Adds a connection; true when it is the user's first on this node.</summary>
    public bool Add(Guid userId, string connectionId)
    {
        var connection = lifetime.Find(connectionId) ?? throw new InvalidOperationException($"Connection {connectionId} is not live.");
        var outbox = new ConnectionOutbox(connection, options.Value.ConnectionBuffer, logger);
        lock (_gate)
        {
            _outboxes[connectionId] = outbox;
            var first = !_users.ContainsKey(userId);
            if (first)
            {
                _users[userId] = ([], clock.GetUtcNow());
            }

            _users[userId].Connections.Add(connectionId);
            return first;
        }
    }

    /// <summary>Removes a connection and closes its outbox; true when it was the user's last on this node.</summary>
    public bool Remove(Guid userId, string connectionId)
    {
        lock (_gate)
        {
            if (_outboxes.Remove(connectionId, out var outbox))
            {
                outbox.Close();
            }

            if (!_users.TryGetValue(userId, out var user) || !user.Connections.Remove(connectionId) || user.Connections.Count > 0)
            {
                return false;
            }

            _users.Remove(userId);
            return true;
        }
    }

    /// <summary>Queues an event for one connection; false when the connection is gone (or was closed for falling behind).</summary>
    public bool Send(string connectionId, SerializedHubMessage message)
    {
        ConnectionOutbox? outbox;
        lock (_gate)
        {
            _outboxes.TryGetValue(connectionId, out outbox);
        }

        return outbox?.Send(message) ?? false;
    }

    /// <summary>
    /// Closes a connection whose events can no longer be kept whole (a join that failed half way): its client
    /// reconnects and catches up with GetChanges, which is complete, rather than going on with a gap.
    /// </summary>
    public void Abort(string connectionId)
    {
        ConnectionOutbox? outbox;
        lock (_gate)
        {
            _outboxes.TryGetValue(connectionId, out outbox);
        }

        outbox?.Abort();
    }

    /// <summary>Closes the user's connections opened with a token of this session (after logout or token theft).</summary>
    public int AbortSession(Guid userId, Guid sessionId)
    {
        List<ConnectionOutbox> revoked;
        lock (_gate)
        {
            revoked = _users.TryGetValue(userId, out var user)
                ? [.. user.Connections.Select(id => _outboxes.GetValueOrDefault(id)).OfType<ConnectionOutbox>().Where(o => o.SessionId == sessionId)]
                : [];
        }

        revoked.ForEach(outbox => outbox.Abort());
        return revoked.Count;
    }

    /// <summary>Closes every connection of this node (it is shutting down); their clients reconnect elsewhere.</summary>
    public int AbortAll()
    {
        List<ConnectionOutbox> all;
        lock (_gate)
        {
            all = [.. _outboxes.Values];
        }

        all.ForEach(outbox => outbox.Abort());
        return all.Count;
    }

    /// <summary>How many connections this node holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _outboxes.Count;
            }
        }
    }

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
        lock (_gate)
        {
            if (_users.TryGetValue(userId, out var user))
            {
                _users[userId] = user with { LastActivity = clock.GetUtcNow() };
            }
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
}
