using System.Collections.Immutable;

namespace Chat.Grains.Conversations;

/// <summary>
/// The single writer of one conversation (key: conversation id): members and roles, the gap-free <c>seq</c>, the
/// conversation <c>version</c> that every visible change moves, and each member's delivered/read watermarks.
/// </summary>
[Alias("chat.IConversationGrain")]
public interface IConversationGrain : IGrainWithGuidKey
{
    /// <summary>Creates the direct conversation of two users; returns the existing one if it already exists.</summary>
    [Alias("CreateDirect")]
    Task<(ConversationView Conversation, bool Created)> CreateDirectAsync(Guid callerId, Guid otherUserId);

    /// <summary>Creates a group with the caller as owner. Fails with CONFLICT if the id is taken.</summary>
    [Alias("CreateGroup")]
    Task<ConversationView> CreateGroupAsync(Guid callerId, string name, string? description, IReadOnlyList<Guid> memberIds);

    /// <summary>The conversation as <paramref name="callerId"/> sees it; NOT_FOUND for a non-member.</summary>
    [Alias("Get")]
    Task<ConversationView> GetAsync(Guid callerId);

    /// <summary>
    /// Adds users to a group (admins and the owner only); each gets <c>memberAdded</c>, the conversation, and a
    /// system message. Users already in the group are skipped.
    /// </summary>
    [Alias("AddMembers")]
    Task<ConversationView> AddMembersAsync(Guid callerId, IReadOnlyList<Guid> userIds);

    /// <summary>
    /// Removes a member: the member themself (leaving), the owner (anyone), or an admin (plain members). An owner
    /// who leaves hands the group to the longest-standing admin, else member.
    /// </summary>
    [Alias("RemoveMember")]
    Task RemoveMemberAsync(Guid callerId, Guid userId);

    /// <summary>Sets a member's role (owner only). Making someone owner transfers ownership: the caller becomes admin.</summary>
    [Alias("SetRole")]
    Task<ConversationView> SetRoleAsync(Guid callerId, Guid userId, string role);

    /// <summary>Renames or re-describes a group, sets its avatar (admins and owner), or mutes it for the caller (anyone).</summary>
    [Alias("Update")]
    Task<ConversationView> UpdateAsync(Guid callerId, ConversationChanges changes);

    /// <summary>Whether the user is a member now (false for a conversation that does not exist).</summary>
    [Alias("IsMember")]
    Task<bool> IsMemberAsync(Guid userId);

    /// <summary>A direct conversation's two users blocked or unblocked one another: what the grain knew of it is stale.</summary>
    [Alias("BlocksChanged")]
    Task BlocksChangedAsync();

    /// <summary>
    /// Assigns the next seq, stores the message, and only then returns and publishes it. A repeated
    /// clientMessageId from the same sender returns the stored message with <c>Created = false</c>.
    /// </summary>
    [Alias("Send"), Orleans.Concurrency.AlwaysInterleave] // sends pipeline: ConversationGrain.Pipeline.cs
    Task<SendMessageResult> SendAsync(Guid senderId, SendMessageRequest request);

    /// <summary>
    /// Replaces the content of the caller's own message within the edit window (FORBIDDEN otherwise), keeping the
    /// previous version; publishes <c>messageEdited</c>.
    /// </summary>
    [Alias("Edit")]
    Task<ChatMessage> EditAsync(Guid callerId, long seq, string content);

    /// <summary>
    /// <c>me</c>: hides the message from the caller's history. <c>everyone</c>: the sender (any time) or an
    /// admin/owner turns it into a tombstone, removing its reactions, edit history and attachments.
    /// </summary>
    [Alias("Delete")]
    Task DeleteAsync(Guid callerId, long seq, string scope);

    /// <summary>Adds (idempotently) or removes the caller's reaction; publishes <c>reactionsChanged</c> when it changes.</summary>
    [Alias("React")]
    Task<ImmutableArray<Reaction>> ReactAsync(Guid callerId, long seq, string emoji, bool add);

    /// <summary>Posts a copy of a message the caller can read into this conversation, with <c>forwardedFrom</c>.</summary>
    [Alias("Forward")]
    Task<SendMessageResult> ForwardAsync(Guid callerId, MessageRef source);

    /// <summary>
    /// Stores a message to be posted at <paramref name="scheduledFor"/> (an Orleans reminder posts it then, even
    /// across silo restarts), checked now as a send would be and again when it is due.
    /// </summary>
    [Alias("Schedule")]
    Task<ScheduledMessage> ScheduleAsync(Guid senderId, SendMessageRequest request, DateTimeOffset scheduledFor);

    /// <summary>The caller's own scheduled messages that have not been posted yet.</summary>
    [Alias("GetScheduled")]
    Task<ImmutableArray<ScheduledMessage>> GetScheduledAsync(Guid callerId);

    /// <summary>Cancels one of the caller's pending scheduled messages.</summary>
    [Alias("CancelScheduled")]
    Task CancelScheduledAsync(Guid callerId, Guid scheduledId);

    /// <summary>Moves the caller's read watermark forward (never back) and publishes the receipt.</summary>
    [Alias("MarkRead"), Orleans.Concurrency.AlwaysInterleave] // receipts pipeline with sends: ConversationGrain.Receipts.cs
    Task<Receipts> MarkReadAsync(Guid callerId, long seq);

    /// <summary>
    /// Receipts of many members at once (a frontend gathers them): each moves its member's watermarks forward (never
    /// back), or is refused alone. Answered once accepted: they are stored and published with the conversation's next
    /// flush of receipts (at once, or in a big group within the summary interval, as a summary).
    /// </summary>
    [Alias("Mark"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<ReceiptOutcome>> MarkAsync(ImmutableArray<ReceiptMark> marks);

    /// <summary>
    /// Everything that changed after version <paramref name="since"/>, at most <paramref name="limit"/> messages
    /// (then <c>HasMore</c>). A caller who is not a member gets <c>IsMember = false</c> and nothing else; a null
    /// caller (a frontend repairing its feed) sees everything.
    /// </summary>
    [Alias("GetChanges")]
    Task<ConversationChangeSet> GetChangesAsync(Guid? callerId, long since, int limit);

    /// <summary>Moves the caller's delivered watermark forward (never back) and publishes the receipt.</summary>
    [Alias("MarkDelivered"), Orleans.Concurrency.AlwaysInterleave]
    Task<Receipts> MarkDeliveredAsync(Guid callerId, long seq);

    /// <summary>Every member's delivered and read watermarks, as a member sees them (the ticks on their messages).</summary>
    [Alias("GetReceipts")]
    Task<ImmutableArray<Receipts>> GetReceiptsAsync(Guid callerId);
}
