using Chat.Grains.Conversations;
using Chat.Grains.Streams;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Turns what changed after a version (read from the log) back into the conversation events a feed forwards, in
/// version order with each version at most once, so a repaired stretch looks to clients like events that arrived.
/// Entities are read as they are now: a message posted and later edited comes as <c>messageReceived</c> at the
/// version it was posted (already showing the edit) and <c>messageEdited</c> at its last change; the versions of
/// earlier, superseded changes are simply not sent.
/// </summary>
public static class ChangeReplay
{
    public static IReadOnlyList<ConversationEvent> Events(ConversationChangeSet changes, long since)
    {
        var id = changes.ConversationId;
        var events = new List<ConversationEvent>();
        foreach (var message in changes.Messages)
        {
            if (message.CreatedVersion > since)
            {
                events.Add(new MessageEvent(id, message) { Version = message.CreatedVersion });
            }

            if (message.Version > since && message.Version != message.CreatedVersion)
            {
                events.Add(ChangeOf(message));
            }
        }

        events.AddRange(changes.Membership.Select(m => new MembershipEvent(id, m.UserId, m.By, m.Added) { Version = m.Version }));
        if (changes.Conversation is { } conversation && changes.InfoVersion > since && changes.InfoVersion <= changes.Version)
        {
            events.Add(new ConversationUpdatedEvent(id, conversation) { Version = changes.InfoVersion });
        }

        // A receipt that shares its version with a send or a join is implied by it (the sender has read their own
        // message; a new member starts with the history read), so it is not an event of its own.
        // A big group tells receipts by summary: one, as it stands now, at the last version that moved only receipts.
        var taken = events.Select(e => e.Version).ToHashSet();
        var receipts = changes.Receipts.Where(r => r.Version > since && !taken.Contains(r.Version)).ToList();
        if (changes.ReceiptsSummary is { } summary)
        {
            events.AddRange(receipts.Where(r => r.Version <= changes.Version).OrderBy(r => r.Version).TakeLast(1)
                .Select(r => new ReceiptsSummaryEvent(id, summary) { Version = r.Version }));
        }
        else
        {
            events.AddRange(receipts.Select(r => new ReceiptsEvent(id, r) { Version = r.Version }));
        }

        return [.. events.Where(e => e.Version <= changes.Version).OrderBy(e => e.Version).DistinctBy(e => e.Version)];
    }

    private static ConversationEvent ChangeOf(ChatMessage message) => message switch
    {
        { IsDeleted: true } => new MessageDeletedEvent(message.ConversationId, message.Seq) { Version = message.Version },
        { EditedAt: null } => new ReactionsChangedEvent(message.ConversationId, message.Seq, message.Reactions) { Version = message.Version },
        _ => new MessageEditedEvent(message.ConversationId, message) { Version = message.Version },
    };
}
