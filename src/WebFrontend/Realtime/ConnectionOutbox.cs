using Chat.WebFrontend.Auth;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// One connection's outgoing events, sent in order. An event is written straight away on the caller's thread while
/// the socket keeps up; events that arrive while a write waits queue behind it and are sent by that write's
/// continuation. Feeds never wait, so a socket that cannot keep up never stalls anyone else's delivery: when its
/// queue is full the connection is closed, and its client reconnects and catches up with GetChanges. An idle
/// connection holds no queue and no task. Events come serialized once for all connections.
/// </summary>
internal sealed partial class ConnectionOutbox(HubConnectionContext connection, int capacity, ILogger logger)
{
    private readonly Lock _gate = new();
    private Queue<SerializedHubMessage>? _waiting;
    private bool _writing;
    private bool _closed;

    /// <summary>The session (refresh-token family) whose access token opened the connection; null for tokens without one.</summary>
    public Guid? SessionId => connection.User?.SessionId();

    /// <summary>Sends or queues an event; false when the connection is closed or was just closed for falling behind.</summary>
    public bool Send(SerializedHubMessage message)
    {
        bool writeNow;
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            writeNow = !_writing;
            if (writeNow)
            {
                _writing = true;
            }
            else if ((_waiting ??= new()).Count < capacity)
            {
                _waiting.Enqueue(message);
                return true;
            }
            else
            {
                (_closed, _waiting) = (true, null);
            }
        }

        if (!writeNow)
        {
            LogTooSlow(logger, connection.ConnectionId);
            connection.Abort();
            return false;
        }

        WriteInOrder(message);
        return true;
    }

    public void Close()
    {
        lock (_gate)
        {
            (_closed, _waiting) = (true, null);
        }
    }

    /// <summary>Closes the connection itself: what it was sent has a gap the server cannot fill in place.</summary>
    public void Abort()
    {
        Close();
        connection.Abort();
    }

    /// <summary>Writes this event and whatever queues behind it, synchronously until a write has to wait.</summary>
    private void WriteInOrder(SerializedHubMessage message)
    {
        SerializedHubMessage? next = message;
        while (next is not null)
        {
            var write = Write(next);
            if (!write.IsCompletedSuccessfully)
            {
                _ = ContinueAsync(write);
                return;
            }

            write.GetAwaiter().GetResult();
            next = TakeNext();
        }
    }

    private async Task ContinueAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception exception)
        {
            LogSendFailed(logger, exception, connection.ConnectionId);
        }

        for (var next = TakeNext(); next is not null; next = TakeNext())
        {
            try
            {
                await Write(next);
            }
            catch (Exception exception)
            {
                LogSendFailed(logger, exception, connection.ConnectionId);
            }
        }
    }

    /// <summary>The next queued event, or null (and the write ends) when there is none or the connection closed.</summary>
    private SerializedHubMessage? TakeNext()
    {
        lock (_gate)
        {
            if (!_closed && _waiting is { Count: > 0 } waiting)
            {
                return waiting.Dequeue();
            }

            _writing = false;
            return null;
        }
    }

    private ValueTask Write(SerializedHubMessage message)
    {
        try
        {
            return connection.WriteAsync(message);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} fell too far behind and was closed; its client catches up after reconnecting")]
    private static partial void LogTooSlow(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to connection {ConnectionId} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string connectionId);
}
