using Chat.Grains.Conversations;
using Chat.Grains.Streams;
using Chat.WebFrontend.Api;
using Chat.WebFrontend.Hubs;

namespace Chat.WebFrontend.Realtime;

/// <summary>The hub event (API.md) that carries each conversation event to a client: the payload is built once per event.</summary>
internal static class ClientEvents
{
    public static Func<IChatClient, Task>? For(ConversationEvent @event)
    {
        var id = @event.ConversationId;
        var version = @event.Version;
        switch (@event)
        {
            case MessageEvent { Message: var message }:
                var received = MessageDto.From(message with { Version = version });
                return client => client.messageReceived(received);
            case MessageEditedEvent { Message: var message }:
                var edited = MessageDto.From(message with { Version = version });
                return client => client.messageEdited(edited);
            case MessageDeletedEvent deleted:
                var gone = new MessageDeletedDto(id, deleted.Seq, DeleteScopes.Everyone, version);
                return client => client.messageDeleted(gone);
            case ReactionsChangedEvent changed:
                var reactions = ReactionsDto.From(id, changed.Seq, changed.Reactions, version);
                return client => client.reactionsChanged(reactions);
            case ReceiptsEvent { Receipts: var receipts }:
                var dto = ReceiptsDto.From(receipts with { Version = version });
                return client => client.receiptsChanged(dto);
            case ReceiptsSummaryEvent { Summary: var summary }:
                var summaryDto = new ReceiptsSummaryDto(id, summary.DeliveredSeq, summary.ReadSeq, version);
                return client => client.receiptsSummaryChanged(summaryDto);
            case MembershipEvent { Added: true } added:
                var joined = new MembershipDto(id, added.UserId, added.By, version);
                return client => client.memberAdded(joined);
            case MembershipEvent removed:
                var left = new MembershipDto(id, removed.UserId, removed.By, version);
                return client => client.memberRemoved(left);
            case ConversationUpdatedEvent { Conversation: var conversation }:
                var updated = ConversationDto.From(conversation with { Version = version });
                return client => client.conversationUpdated(updated);
            case TypingEvent typing:
                var typingDto = new TypingDto(id, typing.UserId, typing.IsTyping);
                return client => client.typingChanged(typingDto);
            case PresenceEvent { Presence: var p }:
                var presence = new PresenceDto(p.UserId, p.Status, p.CustomStatus, p.LastSeenAt);
                return client => client.presenceChanged(presence);
            default:
                return null;
        }
    }
}
