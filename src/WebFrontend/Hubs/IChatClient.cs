using Chat.WebFrontend.Api;

namespace Chat.WebFrontend.Hubs;

/// <summary>
/// Server-to-client events of API.md. The method names are the event names on the wire, which API.md fixes in
/// camelCase; that is why this interface breaks the PascalCase rule.
/// </summary>
#pragma warning disable IDE1006 // Naming Styles
public interface IChatClient
{
    Task messageReceived(MessageDto message);
    Task messageEdited(MessageDto message);
    Task messageDeleted(MessageDeletedDto deleted);
    Task reactionsChanged(ReactionsDto reactions);
    Task receiptsChanged(ReceiptsDto receipts);
    Task receiptsSummaryChanged(ReceiptsSummaryDto summary);
    Task presenceChanged(PresenceDto presence);
    Task typingChanged(TypingDto typing);
    Task contactRequest(ContactRequestDto request);
    Task memberAdded(MembershipDto membership);
    Task memberRemoved(MembershipDto membership);
    Task conversationUpdated(ConversationDto conversation);
}
#pragma warning restore IDE1006

public sealed record ContactRequestDto(Guid FromUserId);

public sealed record TypingDto(Guid ConversationId, Guid UserId, bool IsTyping);

public sealed record PresenceDto(Guid UserId, string Status, string? CustomStatus, DateTimeOffset? LastSeenAt);
