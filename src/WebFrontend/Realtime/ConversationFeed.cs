using System.Threading.Channels;
using Chat.Grains.Conversations;
using Chat.Grains.History;
using Chat.Grains.Streams;
using Orleans.Streams;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// This node's one subscription to one conversation, shared by its local connections in it. Everything goes through
/// a single queue, so each connection gets the conversation's events in version order, each once: a version already
/// forwarded is dropped, and a version beyond the next one first pulls what changed in between from the log. The
/// stream is therefore only a doorbell; the log is what makes delivery complete. Membership is enforced here too:
/// a removed member's connections get <c>memberRemoved</c> and nothing after it; an added member's join at it.
/// </summary>
internal sealed partial class ConversationFeed
{
    private const int RepairBatch = 500;
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IClusterClient _cluster;
    private readonly ConversationFeeds _feeds;
    private readonly LocalConnections _local;
    private readonly RealtimeOptions _options;
    private readonly RealtimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Guid> _connections = []; // pump only: connection -> user
    private readonly Dictionary<Guid, bool> _membership = []; // pump only: the last membership change seen per user (true: added)
    private StreamSubscriptionHandle<ConversationEvent>? _subscription; // swapped by a renewal
    private Task _renewal = Task.CompletedTask; // started by the pump, one at a time
    private int _queuedEvents;
    private int _heardSinceProbe;
    private long _forwarded;
    private LeaseProbe _probe = new(0);
    private Task _pump = Task.CompletedTask;

    public ConversationFeed(Guid id, IClusterClient cluster, ConversationFeeds feeds, LocalConnections local, RealtimeOptions options, RealtimeMetrics metrics, ILogger logger)
    {
        (Id, _cluster, _feeds, _local, _options, _metrics, _logger) = (id, cluster, feeds, local, options, metrics, logger);
        Started = StartAsync();
    }

    public Guid Id { get; }

    /// <summary>Connections holding a lease on this feed; guarded by <see cref="ConversationFeeds"/>.</summary>
    public int References { get; set; }

    /// <summary>Completes once the subscription is live and the starting version is known.</summary>
    public Task Started { get; }

    /// <summary>The last version forwarded to the connections.</summary>
    public long Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Lease check with the conversation's current version (<see cref="LeaseProbe"/> decides).</summary>
    public void Probe(long version)
    {
        var heard = Interlocked.Exchange(ref _heardSinceProbe, 0) > 0;
        var (repair, resubscribe) = _probe.Check(version, Forwarded, heard);
        if (repair)
        {
            LogBehind(_logger, Id, Forwarded, version, resubscribe);
            _inbox.Writer.TryWrite(new RepairRequest(resubscribe));
        }
    }

    /// <summary>Renews the subscription (after a gateway change) and catches up from the log.</summary>
    public void Renew() => _inbox.Writer.TryWrite(new RepairRequest(Resubscribe: true));

    /// <summary>
    /// Adds a local connection through the queue, so nothing is forwarded in between. With <paramref name="since"/>,
    /// the connection first receives, alone, what changed after it up to where the feed stands; without, it starts
    /// where the feed stands (a connecting client catches up with GetChanges).
    /// </summary>
    public Task AddConnectionAsync(string connectionId, Guid userId, long? since)
    {
        var added = new AddConnection(connectionId, userId, since, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_inbox.Writer.TryWrite(added))
        {
            added.Done.TrySetResult(); // stopped: its last connection went, this one included
        }

        return added.Done.Task;
    }

    public void RemoveConnection(string connectionId) => _inbox.Writer.TryWrite(new RemovedConnection(connectionId));

    /// <summary>
    /// A user stream says the user left: once the feed has caught up, their connections must be out. If the feed saw
    /// no membership change of theirs (it happened before this feed started), the conversation's grain decides.
    /// </summary>
    public void EnforceRemoval(Guid userId) => _inbox.Writer.TryWrite(new RemovalCheck(userId));

    public async Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        await _pump;
        await _renewal;
        await UnsubscribeAsync(_subscription);
    }

    private IConversationGrain Grain => _cluster.GetGrain<IConversationGrain>(Id);

    /// <summary>A cluster call of the upkeep, given up after <see cref="RealtimeOptions.CallTimeout"/> (it is retried later).</summary>
    private Task<T> Bounded<T>(Task<T> call) => call.WaitAsync(_options.CallTimeout);

    private async Task StartAsync()
    {
        _subscription = await SubscribeAsync();
        var versions = await Bounded(_cluster.GetGrain<IHistoryGrain>(0).GetVersionsAsync([Id]));
        _forwarded = versions.GetValueOrDefault(Id);
        _probe = new LeaseProbe(_forwarded);
        _pump = Task.Run(PumpAsync);
    }

    private async Task<StreamSubscriptionHandle<ConversationEvent>> SubscribeAsync()
    {
        var stream = _cluster.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(Id));
        var subscribing = stream.SubscribeAsync((@event, _) =>
        {
            Interlocked.Exchange(ref _heardSinceProbe, 1);
            // Bounded: past the limit an event is dropped here and the gap is repaired from the log.
            if (Interlocked.Increment(ref _queuedEvents) > _options.FeedBuffer || !_inbox.Writer.TryWrite(@event))
            {
                Interlocked.Decrement(ref _queuedEvents);
                LogDropped(_logger, Id, @event.Version);
            }

            return Task.CompletedTask;
        });
        try
        {
            return await Bounded(subscribing);
        }
        catch (TimeoutException)
        {
            _ = DiscardLateAsync(); // a subscription made after all must not outlive the attempt
            throw;
        }

        async Task DiscardLateAsync() => await UnsubscribeAsync(await subscribing);
    }

    /// <summary>
    /// Subscribes anew, then drops the old subscription (an event both deliver is forwarded once: by version). It runs
    /// beside the queue, which meanwhile forwards what the log holds: either call may wait for a dead gateway.
    /// </summary>
    private async Task RenewSubscriptionAsync()
    {
        try
        {
            var renewed = await SubscribeAsync();
            await UnsubscribeAsync(Interlocked.Exchange(ref _subscription, renewed));
        }
        catch (Exception exception)
        {
            LogRenewFailed(_logger, exception, Id);
        }
    }

    private async Task UnsubscribeAsync(StreamSubscriptionHandle<ConversationEvent>? subscription)
    {
        try
        {
            if (subscription is not null)
            {
                await subscription.UnsubscribeAsync().WaitAsync(_options.CallTimeout);
            }
        }
        catch (Exception exception)
        {
            LogUnsubscribeFailed(_logger, exception, Id);
        }
    }
}
