using Chat.Grains.Streams;

namespace Chat.UnitTests;

public sealed class QueueReadBackoffTests
{
    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(3, 800)]
    [InlineData(4, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void AFailedReadIsRetriedWithinASecond(int attempt, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), new QueueReadBackoff().Next(attempt));
}
