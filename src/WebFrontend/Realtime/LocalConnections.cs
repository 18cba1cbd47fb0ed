namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Which users have connections on this node, and when each last did something: read by the feeds (to leave out
/// users who must not see an event) and the presence heartbeat, written by <see cref="ConnectionTracker"/>.
/// </summary>
public sealed class LocalConnections(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, (HashSet<string> Connections, DateTimeOffset LastActivity)> _users = [];

    /// <summary>Adds a connection; true when it is the user's first on this node.</summary>
    public bool Add(Guid userId, string connectionId)
    {
        lock (_gate)
        {
            var first = !_users.ContainsKey(userId);
            if (first)
            {
                _users[userId] = ([], clock.GetUtcNow());
            }

            _users[userId].Connections.Add(connectionId);
            return first;
        }
    }

    /// <summary>Removes a connection; true when it was the user's last on this node.</summary>
    public bool Remove(Guid userId, string connectionId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var user) || !user.Connections.Remove(connectionId) || user.Connections.Count > 0)
            {
                return false;
            }

            _users.Remove(userId);
            return true;
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
