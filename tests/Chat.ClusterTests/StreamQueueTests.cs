using Chat.Grains.Streams;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Providers;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class StreamQueueTests(ClusterFixture fixture)
{
    [Fact]
    public void APullingAgentRetriesAFailedReadWithinASecond()
    {
        foreach (var silo in fixture.Cluster.Silos)
        {
            Assert.IsType<QueueReadBackoff>(silo.ServiceProvider.GetKeyedService<IQueueReaderBackoffProvider>(ChatStreams.Provider));
        }
    }
}
