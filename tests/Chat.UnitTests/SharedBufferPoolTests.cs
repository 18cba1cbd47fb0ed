using Chat.WebFrontend.Hosting;

namespace Chat.UnitTests;

/// <summary>The frontend sizes the shared array pool unless the operator already did (its setting wins).</summary>
public sealed class SharedBufferPoolTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(SharedBufferPool.Variable);

    [Fact]
    public void SetsThePoolSizeWhenNobodyDid()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, null);

        SharedBufferPool.SizeForFanOut();

        Assert.Equal("1024", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    [Fact]
    public void LeavesAnOperatorsSettingAlone()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, "64");

        SharedBufferPool.SizeForFanOut();

        Assert.Equal("64", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    public void Dispose() => Environment.SetEnvironmentVariable(SharedBufferPool.Variable, _before);
}
