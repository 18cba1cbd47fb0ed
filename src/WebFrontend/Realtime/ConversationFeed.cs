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
    private readonly int _maxQueuedEvents;
    private readonly RealtimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Guid> _connections = []; // pump only: connection -> user
    private readonly Dictionary<Guid, bool> _membership = []; // pump only: the last membership change seen per user (true: added)
    private StreamSubscriptionHandle<ConversationEvent>? _subscription;
    private int _queuedEvents;
    private int _heardSinceProbe;
    private long _forwarded;
    private LeaseProbe _probe = new(0);
    private Task _pump = Task.CompletedTask;

    public ConversationFeed(Guid id, IClusterClient cluster, ConversationFeeds feeds, LocalConnections local, int maxQueuedEvents, RealtimeMetrics metrics, ILogger logger)
    {
        (Id, _cluster, _feeds, _local, _maxQueuedEvents, _metrics, _logger) = (id, cluster, feeds, local, maxQueuedEvents, metrics, logger);
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
        await UnsubscribeAsync();
    }

    private IConversationGrain Grain => _cluster.GetGrain<IConversationGrain>(Id);

    private async Task StartAsync()
    {
        await SubscribeAsync();
        var versions = await _cluster.GetGrain<IHistoryGrain>(0).GetVersionsAsync([Id]);
        _forwarded = versions.GetValueOrDefault(Id);
        _probe = new LeaseProbe(_forwarded);
        _pump = Task.Run(PumpAsync);
    }

    private async Task SubscribeAsync()
    {
        var stream = _cluster.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(Id));
        _subscription = await stream.SubscribeAsync((@event, _) =>
        {
            Interlocked.Exchange(ref _heardSinceProbe, 1);
            // Bounded: past the limit an event is dropped here and the gap is repaired from the log.
            if (Interlocked.Increment(ref _queuedEvents) > _maxQueuedEvents || !_inbox.Writer.TryWrite(@event))
            {
                Interlocked.Decrement(ref _queuedEvents);
                LogDropped(_logger, Id, @event.Version);
            }

            return Task.CompletedTask;
        });
    }

    private async Task UnsubscribeAsync()
    {
        try
        {
            if (_subscription is { } subscription)
            {
                await subscription.UnsubscribeAsync();
            }
        }
        catch (Exception exception)
        {
            LogUnsubscribeFailed(_logger, exception, Id);
        }
    }
}
