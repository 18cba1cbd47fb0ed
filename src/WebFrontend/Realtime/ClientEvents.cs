using Chat.Grains.Conversations;
using Chat.Grains.Streams;
using Chat.WebFrontend.Api;
using Chat.WebFrontend.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// The hub event (API.md) that carries each conversation event to a client, built and serialized once per event for
/// every connection. <see cref="IChatClient"/> names the events.
/// </summary>
internal static class ClientEvents
{
    public static SerializedHubMessage Event(string name, object payload) => new(new InvocationMessage(name, [payload]));

    public static SerializedHubMessage? For(ConversationEvent @event)
    {
        var id = @event.ConversationId;
        var version = @event.Version;
        switch (@event)
        {
            case MessageEvent { Message: var message }:
                var received = MessageDto.From(message with { Version = version });
                return Event(nameof(IChatClient.messageReceived), received);
            case MessageEditedEvent { Message: var message }:
                var edited = MessageDto.From(message with { Version = version });
                return Event(nameof(IChatClient.messageEdited), edited);
            case MessageDeletedEvent deleted:
                var gone = new MessageDeletedDto(id, deleted.Seq, DeleteScopes.Everyone, version);
                return Event(nameof(IChatClient.messageDeleted), gone);
            case ReactionsChangedEvent changed:
                var reactions = ReactionsDto.From(id, changed.Seq, changed.Reactions, version);
                return Event(nameof(IChatClient.reactionsChanged), reactions);
            case ReceiptsEvent { Receipts: var receipts }:
                var dto = ReceiptsDto.From(receipts with { Version = version });
                return Event(nameof(IChatClient.receiptsChanged), dto);
            case ReceiptsSummaryEvent { Summary: var summary }:
                var summaryDto = new ReceiptsSummaryDto(id, summary.DeliveredSeq, summary.ReadSeq, version);
                return Event(nameof(IChatClient.receiptsSummaryChanged), summaryDto);
            case MembershipEvent { Added: true } added:
                var joined = new MembershipDto(id, added.UserId, added.By, version);
                return Event(nameof(IChatClient.memberAdded), joined);
            case MembershipEvent removed:
                var left = new MembershipDto(id, removed.UserId, removed.By, version);
                return Event(nameof(IChatClient.memberRemoved), left);
            case ConversationUpdatedEvent { Conversation: var conversation }:
                var updated = ConversationDto.From(conversation with { Version = version });
                return Event(nameof(IChatClient.conversationUpdated), updated);
            case TypingEvent typing:
                var typingDto = new TypingDto(id, typing.UserId, typing.IsTyping);
                return Event(nameof(IChatClient.typingChanged), typingDto);
            case PresenceEvent { Presence: var p }:
                var presence = new PresenceDto(p.UserId, p.Status, p.CustomStatus, p.LastSeenAt);
                return Event(nameof(IChatClient.presenceChanged), presence);
            default:
                return null;
        }
    }
}
