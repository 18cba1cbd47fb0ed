using Chat.Grains.Streams;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Providers;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class StreamQueueTests(ClusterFixture fixture)
{
    [Fact]
    public void TheMemoryStreamQueuesAreTheWaitingOnes()
    {
        var queue = fixture.Client.GetGrain<IMemoryStreamQueueGrain>(Guid.NewGuid());

        Assert.Equal(GrainType.Create("waitingstreamqueue"), queue.GetGrainId().Type);
    }

    [Fact]
    public void APullingAgentRetriesAFailedReadWithinASecond()
    {
        foreach (var silo in fixture.Cluster.Silos)
        {
            Assert.IsType<QueueReadBackoff>(silo.ServiceProvider.GetKeyedService<IQueueReaderBackoffProvider>(ChatStreams.Provider));
        }
    }

    [Fact]
    public async Task ADequeueFromAnEmptyQueueAnswersWithTheNextEnqueue()
    {
        var queue = fixture.Client.GetGrain<IMemoryStreamQueueGrain>(Guid.NewGuid());
        await queue.Dequeue(1); // activated, and empty

        // A dequeue waits at most WaitingStreamQueueGrain.LongestWait (100 ms): on a slow machine the enqueue may arrive
        // after that, so a few tries are allowed. Orleans' own queue answers every one of them at once, empty.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var dequeue = queue.Dequeue(10);
            await Task.Delay(20); // so that the dequeue surely arrives first
            await queue.Enqueue(new MemoryMessageData { StreamId = ChatStreams.Conversation(Guid.NewGuid()), Payload = new([1, 2, (byte)attempt]) });
            var answer = await dequeue;
            if (answer.Count > 0)
            {
                Assert.Equal([1, 2, (byte)attempt], Assert.Single(answer).Payload.ToArray());
                return;
            }
            Assert.Single(await queue.Dequeue(10)); // the wait ran out first: the event is queued, take it away
        }
        Assert.Fail("No dequeue was answered by the enqueue made while it waited.");
    }
}
