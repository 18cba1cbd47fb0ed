using Chat.Grains.Conversations;

namespace Chat.UnitTests;

public sealed class DirectConversationIdTests
{
    [Fact]
    public void BothUsersReachTheSameConversation()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal(DirectConversationId.For(a, b), DirectConversationId.For(b, a));
    }

    [Fact]
    public void DifferentPairsGetDifferentConversations()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Assert.NotEqual(DirectConversationId.For(a, b), DirectConversationId.For(a, c));
        Assert.NotEqual(DirectConversationId.For(a, b), a);
    }

    [Fact]
    public void TheIdIsAVersion8Uuid() => Assert.Equal(8, DirectConversationId.For(Guid.NewGuid(), Guid.NewGuid()).Version);
}
