using System.Threading.Channels;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// One connection's outgoing events, sent in order from a bounded buffer. Feeds only queue here, so a socket that
/// cannot keep up never stalls anyone else's delivery; when its buffer is full the connection is closed, and its
/// client reconnects and catches up with GetChanges.
/// </summary>
internal sealed partial class ConnectionOutbox
{
    private readonly Channel<Func<IChatClient, Task>> _queue;
    private readonly IChatClient _client;
    private readonly HubCallerContext _context;
    private readonly ILogger _logger;

    public ConnectionOutbox(IChatClient client, HubCallerContext context, int capacity, ILogger logger)
    {
        (_client, _context, _logger) = (client, context, logger);
        _queue = Channel.CreateBounded<Func<IChatClient, Task>>(new BoundedChannelOptions(capacity) { SingleReader = true });
        _ = Task.Run(PumpAsync);
    }

    /// <summary>The session (refresh-token family) whose access token opened the connection; null for tokens without one.</summary>
    public Guid? SessionId => _context.User?.SessionId();

    /// <summary>Queues a send; false when the connection is closed or was just closed for falling behind.</summary>
    public bool Send(Func<IChatClient, Task> send)
    {
        if (_queue.Writer.TryWrite(send))
        {
            return true;
        }

        if (_queue.Writer.TryComplete())
        {
            LogTooSlow(_logger, _context.ConnectionId);
            _context.Abort();
        }

        return false;
    }

    public void Close() => _queue.Writer.TryComplete();

    /// <summary>Closes the connection itself: what it was sent has a gap the server cannot fill in place.</summary>
    public void Abort()
    {
        _queue.Writer.TryComplete();
        _context.Abort();
    }

    private async Task PumpAsync()
    {
        await foreach (var send in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await send(_client);
            }
            catch (Exception exception)
            {
                LogSendFailed(_logger, exception, _context.ConnectionId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} fell too far behind and was closed; its client catches up after reconnecting")]
    private static partial void LogTooSlow(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to connection {ConnectionId} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string connectionId);
}
