using Chat.Grains.Conversations;

namespace Chat.UnitTests;

public sealed class NotificationRecipientsTests
{
    private static readonly Guid Sender = Guid.NewGuid();
    private static readonly Guid Listener = Guid.NewGuid();
    private static readonly Guid Muted = Guid.NewGuid();

    private static readonly ConversationMember[] Members =
    [
        new(Sender, MemberRoles.Owner, DateTimeOffset.UtcNow, 0, 0),
        new(Listener, MemberRoles.Member, DateTimeOffset.UtcNow, 0, 0),
        new(Muted, MemberRoles.Member, DateTimeOffset.UtcNow, 0, 0, Muted: true),
    ];

    [Fact]
    public void EveryoneButTheSenderAndWhoMutedIt()
    {
        Assert.Equal([Listener], NotificationRecipients.For(Message("text", []), Members, enabled: true));
    }

    [Fact]
    public void AMentionReachesAMemberWhoMutedIt()
    {
        Assert.Equal([Listener, Muted], NotificationRecipients.For(Message("text", [Muted]), Members, enabled: true));
    }

    [Fact]
    public void NobodyForSystemMessagesOrWhenNotificationsAreOff()
    {
        Assert.Empty(NotificationRecipients.For(Message("system", []), Members, enabled: true));
        Assert.Empty(NotificationRecipients.For(Message("text", []), Members, enabled: false));
    }

    private static ChatMessage Message(string contentType, Guid[] mentions) =>
        new(Guid.NewGuid(), Guid.NewGuid(), 1, Sender, "c", contentType, "hello", "plain", null, DateTimeOffset.UtcNow,
            null, null, [], [.. mentions], null, [], null);
}
