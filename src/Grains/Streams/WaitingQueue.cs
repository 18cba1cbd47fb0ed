namespace Chat.Grains.Streams;

/// <summary>
/// A bounded FIFO whose take, when it finds nothing, waits for the next item (or for a time limit) instead of
/// returning empty at once. Not thread-safe: one grain activation's turns use it, one at a time.
/// </summary>
public sealed class WaitingQueue<T>(int capacity)
{
    private TaskCompletionSource? _added;

    /// <summary>The items in order; replaced as a whole when a grain is rehydrated after a migration.</summary>
    public Queue<T> Items { get; set; } = new();

    /// <summary>Queues the item and wakes a waiting take; false, and nothing queued, when the queue is full.</summary>
    public bool TryAdd(T item)
    {
        if (Items.Count >= capacity)
            return false;
        Items.Enqueue(item);
        _added?.TrySetResult();
        _added = null;
        return true;
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> items, oldest first. When the queue is empty this waits for the next add,
    /// at most <paramref name="longestWait"/> (or until <paramref name="cancellationToken"/> fires), and returns
    /// what is there then, possibly nothing.
    /// </summary>
    public async Task<List<T>> TakeAsync(int maxCount, TimeSpan longestWait, CancellationToken cancellationToken)
    {
        if (Items.Count == 0)
        {
            _added ??= new TaskCompletionSource();
            await Task.WhenAny(_added.Task, Task.Delay(longestWait, cancellationToken));
        }
        var taken = new List<T>(Math.Min(maxCount, Items.Count));
        while (taken.Count < maxCount && Items.TryDequeue(out var item))
            taken.Add(item);
        return taken;
    }
}
