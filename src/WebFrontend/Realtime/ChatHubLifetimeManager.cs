using System.Collections.Concurrent;
using Chat.WebFrontend.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// SignalR's own lifetime manager, which also hands this node's outboxes each live connection: an event is then
/// serialized once per protocol (<see cref="SerializedHubMessage"/>) and the same bytes written to every connection,
/// instead of once per connection through a client proxy.
/// </summary>
public sealed class ChatHubLifetimeManager(ILogger<DefaultHubLifetimeManager<ChatHub>> logger) : DefaultHubLifetimeManager<ChatHub>(logger)
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new();

    /// <summary>A live connection (SignalR tells the lifetime manager before the hub's OnConnectedAsync runs).</summary>
    public HubConnectionContext? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }
}
