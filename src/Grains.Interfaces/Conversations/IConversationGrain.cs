namespace Chat.Grains.Conversations;

/// <summary>
/// The single writer of one conversation (key: conversation id): members and roles, the gap-free <c>seq</c>,
/// and each member's delivered/read watermarks.
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

    /// <summary>Whether the user is a member now (false for a conversation that does not exist).</summary>
    [Alias("IsMember")]
    Task<bool> IsMemberAsync(Guid userId);

    /// <summary>
    /// Assigns the next seq, stores the message, and only then returns and publishes it. A repeated
    /// clientMessageId from the same sender returns the stored message with <c>Created = false</c>.
    /// </summary>
    [Alias("Send")]
    Task<SendMessageResult> SendAsync(Guid senderId, SendMessageRequest request);

    /// <summary>Moves the caller's read watermark forward (never back) and publishes the receipt.</summary>
    [Alias("MarkRead")]
    Task<Receipts> MarkReadAsync(Guid callerId, long seq);

    /// <summary>Moves the caller's delivered watermark forward (never back) and publishes the receipt.</summary>
    [Alias("MarkDelivered")]
    Task<Receipts> MarkDeliveredAsync(Guid callerId, long seq);
}
