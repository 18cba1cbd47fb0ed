using System.Threading.Channels;
using Chat.WebFrontend.Auth;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// One connection's outgoing events, sent in order from a bounded buffer. Feeds only queue here, so a socket that
/// cannot keep up never stalls anyone else's delivery; when its buffer is full the connection is closed, and its
/// client reconnects and catches up with GetChanges. Events come serialized once for all connections.
/// </summary>
internal sealed partial class ConnectionOutbox
{
    private readonly Channel<SerializedHubMessage> _queue;
    private readonly HubConnectionContext _connection;
    private readonly ILogger _logger;

    public ConnectionOutbox(HubConnectionContext connection, int capacity, ILogger logger)
    {
        (_connection, _logger) = (connection, logger);
        _queue = Channel.CreateBounded<SerializedHubMessage>(new BoundedChannelOptions(capacity) { SingleReader = true });
        _ = Task.Run(PumpAsync);
    }

    /// <summary>The session (refresh-token family) whose access token opened the connection; null for tokens without one.</summary>
    public Guid? SessionId => _connection.User?.SessionId();

    /// <summary>Queues an event; false when the connection is closed or was just closed for falling behind.</summary>
    public bool Send(SerializedHubMessage message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        if (_queue.Writer.TryComplete())
        {
            LogTooSlow(_logger, _connection.ConnectionId);
            _connection.Abort();
        }

        return false;
    }

    public void Close() => _queue.Writer.TryComplete();

    /// <summary>Closes the connection itself: what it was sent has a gap the server cannot fill in place.</summary>
    public void Abort()
    {
        _queue.Writer.TryComplete();
        _connection.Abort();
    }

    private async Task PumpAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await _connection.WriteAsync(message);
            }
            catch (Exception exception)
            {
                LogSendFailed(_logger, exception, _connection.ConnectionId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} fell too far behind and was closed; its client catches up after reconnecting")]
    private static partial void LogTooSlow(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to connection {ConnectionId} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string connectionId);
}
