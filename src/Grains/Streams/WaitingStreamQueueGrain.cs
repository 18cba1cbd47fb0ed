using Orleans.Concurrency;
using Orleans.Providers;

namespace Chat.Grains.Streams;

/// <summary>
/// The queue behind each memory-stream partition, in place of Orleans' own <see cref="MemoryStreamQueueGrain"/>
/// (the silo swaps it in, see <c>ChatSiloExtensions</c>). Same queue, cap and sequence numbers; the one difference
/// is that a dequeue from an empty queue waits for the next enqueue, up to <see cref="LongestWait"/>, instead of
/// returning nothing at once. The pulling agent then hears of an event as soon as it is queued rather than at its
/// next timer tick, and an idle silo no longer wakes every few milliseconds to find the queues empty.
/// </summary>
[Reentrant] // an enqueue must run while a dequeue waits for it
public sealed class WaitingStreamQueueGrain : Grain, IMemoryStreamQueueGrain, IGrainMigrationParticipant
{
    /// <summary>
    /// How long an empty dequeue waits. Short, because a pulling agent that is being stopped (its silo leaving, the
    /// queues rebalancing) waits for its last dequeue, and what that returns is dropped: a memory-stream event may be
    /// lost that way, as on a silo crash, and the frontends' version-gap repair reads it from the log.
    /// </summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(100);

    private const int MaxEventCount = 16384; // Orleans' own cap
    private readonly WaitingQueue<MemoryMessageData> _queue = new(MaxEventCount);
    private long _sequenceNumber = DateTime.UtcNow.Ticks; // as Orleans does: a reactivated queue numbers on upwards

    public Task Enqueue(MemoryMessageData data) => Enqueue(data, CancellationToken.None);

    public Task Enqueue(MemoryMessageData data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        data.SequenceNumber = _sequenceNumber;
        if (!_queue.TryAdd(data))
            throw new InvalidOperationException($"Can not enqueue since the count has reached its maximum of {MaxEventCount}");
        _sequenceNumber++;
        return Task.CompletedTask;
    }

    public Task<List<MemoryMessageData>> Dequeue(int maxCount) => Dequeue(maxCount, CancellationToken.None);

    public Task<List<MemoryMessageData>> Dequeue(int maxCount, CancellationToken cancellationToken) =>
        _queue.TakeAsync(maxCount, LongestWait, cancellationToken);

    void IGrainMigrationParticipant.OnDehydrate(IDehydrationContext dehydrationContext) =>
        dehydrationContext.TryAddValue("queue", _queue.Items);

    void IGrainMigrationParticipant.OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue<Queue<MemoryMessageData>>("queue", out var items) && items is not null)
            _queue.Items = items;
    }
}
