using Chat.WebFrontend.Hubs;

namespace Chat.UnitTests;

public sealed class CatchUpLimitTests
{
    [Theory]
    [InlineData(1, 500)]
    [InlineData(10, 500)]
    [InlineData(20, 250)]
    [InlineData(100, 50)]
    [InlineData(1000, 10)]
    public void ACatchUpOfManyConversationsTakesFewerFromEach(int conversations, int perConversation) =>
        Assert.Equal(perConversation, ChatHub.CatchUpLimit(conversations));

    [Fact]
    public void TheWholeAnswerStaysNearTheBudget()
    {
        for (var n = 1; n <= ChatHub.MaxMissedConversations; n++)
        {
            Assert.InRange(n * ChatHub.CatchUpLimit(n), 1, Math.Max(ChatHub.MaxCatchUpMessages, 10 * ChatHub.MaxMissedConversations));
        }
    }
}
