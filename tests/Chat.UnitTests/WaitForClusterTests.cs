using Chat.WebFrontend.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Chat.UnitTests;

/// <summary>Which start-up failures a frontend waits out, and how long it waits between tries.</summary>
public sealed class WaitForClusterTests
{
    [Fact]
    public void AMissingClusterIsWaitedFor()
    {
        Assert.True(WaitForCluster.IsClusterNotYetThere(new SiloUnavailableException("no gateway")));
        Assert.True(WaitForCluster.IsClusterNotYetThere(new ConnectionFailedException("Unable to connect to any of the 1 available gateways.")));
        Assert.True(WaitForCluster.IsClusterNotYetThere(new PostgresException("relation \"orleansquery\" does not exist", "ERROR", "ERROR", "42P01")));
        Assert.True(WaitForCluster.IsClusterNotYetThere(new NpgsqlException("connection refused")));
        Assert.True(WaitForCluster.IsClusterNotYetThere(new AggregateException(new SiloUnavailableException(), new NpgsqlException())));
    }

    [Fact]
    public void ASettingThatCanNeverWorkStopsTheStart()
    {
        Assert.False(WaitForCluster.IsClusterNotYetThere(new InvalidOperationException("ConnectionStrings:Chat is required")));
        Assert.False(WaitForCluster.IsClusterNotYetThere(new AggregateException(new SiloUnavailableException(), new ArgumentException())));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(5, 5)]
    [InlineData(40, 5)]
    public void EachTryWaitsASecondLongerUpToFive(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WaitForCluster.DelayBefore(attempt));

    [Fact]
    public async Task AShutdownEndsTheWait()
    {
        var filter = new WaitForCluster(TimeProvider.System, NullLogger<WaitForCluster>.Instance);
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        Assert.False(await filter.ShouldRetryConnectionAttempt(new SiloUnavailableException(), stopping.Token));
    }
}
