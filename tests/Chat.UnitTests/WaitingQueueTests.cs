using Chat.Grains.Streams;

namespace Chat.UnitTests;

public sealed class WaitingQueueTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ATakeFromAnEmptyQueueGetsTheNextItemAdded()
    {
        var queue = new WaitingQueue<int>(capacity: 10);

        var take = queue.TakeAsync(5, Long, CancellationToken.None);
        Assert.False(take.IsCompleted);
        queue.TryAdd(7);

        Assert.Equal([7], await take.WaitAsync(Long));
    }

    [Fact]
    public async Task ItemsComeOutOldestFirstAndAtMostAsManyAsAsked()
    {
        var queue = new WaitingQueue<int>(capacity: 10);
        foreach (var i in Enumerable.Range(1, 5))
            queue.TryAdd(i);

        Assert.Equal([1, 2, 3], await queue.TakeAsync(3, Long, CancellationToken.None));
        Assert.Equal([4, 5], await queue.TakeAsync(3, Long, CancellationToken.None));
    }

    [Fact]
    public async Task ATakeThatWaitsInVainReturnsNothing()
    {
        var queue = new WaitingQueue<int>(capacity: 10);

        Assert.Empty(await queue.TakeAsync(5, TimeSpan.FromMilliseconds(10), CancellationToken.None));

        queue.TryAdd(1); // and the queue still works after a wait that ran out
        Assert.Equal([1], await queue.TakeAsync(5, Long, CancellationToken.None));
    }

    [Fact]
    public async Task ACancelledTakeReturnsNothing()
    {
        var queue = new WaitingQueue<int>(capacity: 10);
        using var cancel = new CancellationTokenSource();

        var take = queue.TakeAsync(5, Long, cancel.Token);
        await cancel.CancelAsync();

        Assert.Empty(await take.WaitAsync(Long));
    }

    [Fact]
    public void AFullQueueRefusesAndKeepsWhatItHas()
    {
        var queue = new WaitingQueue<int>(capacity: 2);

        Assert.True(queue.TryAdd(1));
        Assert.True(queue.TryAdd(2));
        Assert.False(queue.TryAdd(3));
        Assert.Equal([1, 2], queue.Items);
    }
}
