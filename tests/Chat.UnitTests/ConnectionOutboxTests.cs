using System.IO.Pipelines;
using System.Text;
using Chat.WebFrontend.Realtime;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.UnitTests;

/// <summary>
/// A real SignalR connection context over an in-memory socket whose buffer fills after a few events, so writes
/// have to wait as they do on a slow client's socket.
/// </summary>
public sealed class ConnectionOutboxTests
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task EventsReachTheSocketInOrderWhetherWrittenAtOnceOrQueuedBehindAWaitingWrite()
    {
        var (hub, socket) = Connect();
        var outbox = new ConnectionOutbox(hub, capacity: 1000, NullLogger.Instance);

        var sends = Enumerable.Range(0, 200).Select(i => outbox.Send(Event(i))).ToList(); // the socket is not read yet

        Assert.All(sends, Assert.True);
        Assert.Equal(Enumerable.Range(0, 200), await ReadEventsAsync(socket, 200));
    }

    [Fact]
    public async Task AConnectionThatStopsReadingIsClosedOnceItsQueueIsFullAndTakesNothingMore()
    {
        var (hub, _) = Connect();
        var outbox = new ConnectionOutbox(hub, capacity: 5, NullLogger.Instance);
        var aborted = new TaskCompletionSource();
        hub.ConnectionAborted.Register(() => aborted.TrySetResult());

        var accepted = 0;
        while (outbox.Send(Event(accepted)))
        {
            accepted++;
            Assert.True(accepted < 100, "the outbox never filled");
        }

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(outbox.Send(Event(accepted)));
    }

    [Fact]
    public async Task AClosedOutboxSendsNothing()
    {
        var (hub, socket) = Connect();
        var outbox = new ConnectionOutbox(hub, capacity: 10, NullLogger.Instance);

        Assert.True(outbox.Send(Event(1)));
        outbox.Close();

        Assert.False(outbox.Send(Event(2)));
        Assert.Equal([1], await ReadEventsAsync(socket, 1));
    }

    private static (HubConnectionContext Hub, PipeReader Socket) Connect()
    {
        var toClient = new Pipe(new PipeOptions(pauseWriterThreshold: 256, resumeWriterThreshold: 128, useSynchronizationContext: false));
        var fromClient = new Pipe();
        var connection = new DefaultConnectionContext("test", new Duplex(fromClient.Reader, toClient.Writer), new Duplex(toClient.Reader, fromClient.Writer));
        var hub = new HubConnectionContext(connection, new HubConnectionContextOptions(), NullLoggerFactory.Instance)
        {
            Protocol = new JsonHubProtocol(),
        };
        return (hub, toClient.Reader);
    }

    private static SerializedHubMessage Event(int n) => new(new InvocationMessage("event", [n]));

    /// <summary>The argument of each event the client receives, in the order it receives them.</summary>
    private static async Task<List<int>> ReadEventsAsync(PipeReader socket, int count)
    {
        var text = new StringBuilder();
        while (text.ToString().Count(c => c == RecordSeparator) < count)
        {
            var result = await socket.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            foreach (var segment in result.Buffer)
            {
                text.Append(Encoding.UTF8.GetString(segment.Span));
            }

            socket.AdvanceTo(result.Buffer.End);
        }

        return [.. text.ToString().Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(json => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("arguments")[0].GetInt32())];
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
