using System.Runtime.InteropServices;
using Chat.WebFrontend.Realtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// How a frontend leaves without losing a send. Draining, it reports not ready (so the load balancer stops sending it
/// clients), refuses new sends and hub connections with 503 (the client retries elsewhere; a send's
/// <c>clientMessageId</c> makes that safe), waits for the sends already under way to be acknowledged, and then closes
/// its hub connections, whose clients reconnect to another frontend and catch up with <c>GetChanges</c>.
/// </summary>
public sealed partial class FrontendDrain(LocalConnections connections, IOptions<RealtimeOptions> options, ILogger<FrontendDrain> logger) : IHealthCheck
{
    private static readonly TimeSpan AckFlush = TimeSpan.FromMilliseconds(250);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight; // sends past the first line of SendAsync, refused ones included: what a drain waits for
    private int _admitted; // sends let through: what a drain reports unfinished
    private volatile bool _draining;

    public bool IsDraining => _draining;

    /// <summary>Runs a send unless this node is draining; a drain waits for it.</summary>
    public async Task<T> SendAsync<T>(Func<Task<T>> send)
    {
        Interlocked.Increment(ref _inFlight);
        var admitted = false;
        try
        {
            if (_draining)
            {
                throw new NodeDrainingException();
            }

            admitted = true;
            Interlocked.Increment(ref _admitted);
            return await send();
        }
        finally
        {
            if (admitted)
            {
                Interlocked.Decrement(ref _admitted);
            }

            if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
            {
                _idle.TrySetResult();
            }
        }
    }

    public async Task DrainAsync()
    {
        _draining = true;
        var waitingFor = Volatile.Read(ref _inFlight);
        LogDraining(logger, waitingFor, connections.Count);
        if (waitingFor > 0)
        {
            await _idle.Task.WaitAsync(options.Value.DrainTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
            // The last acknowledgements were computed, not yet written: closing a connection drops what it has not
            // sent. A moment lets them out (a lost one is only resent by its client and deduplicated).
            await Task.Delay(AckFlush);
        }

        // Admitted sends only: one being refused at this moment is still counted in flight, but is no unfinished send.
        LogDrained(logger, Volatile.Read(ref _admitted), connections.AbortAll());
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("Draining: this frontend is shutting down.") : HealthCheckResult.Healthy());

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {InFlight} send(s) under way, {Connections} connection(s) open")]
    private static partial void LogDraining(ILogger logger, int inFlight, int connections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Unfinished} send(s) unfinished; closed {Connections} connection(s) for their clients to reconnect elsewhere")]
    private static partial void LogDrained(ILogger logger, int unfinished, int connections);
}

/// <summary>A send refused because this frontend is shutting down: 503, expected, and logged as a client's refusal.</summary>
public sealed class NodeDrainingException() : Exception("This server is shutting down; send again (another server will take it).");

/// <summary>
/// The console lifetime with a drain first: SIGTERM (Kubernetes stopping the pod) or Ctrl+C drains this frontend
/// (<see cref="FrontendDrain"/>), and only then stops the host, which lets the HTTP requests still running finish.
/// SignalR would otherwise close every connection the moment the host begins to stop, sends under way included.
/// </summary>
public sealed class DrainingLifetime(FrontendDrain drain, IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _stopping;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _signals.ForEach(s => s.Dispose());

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the process ends when the host has stopped, not now
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                await drain.DrainAsync();
                lifetime.StopApplication();
            });
        }
    }
}
