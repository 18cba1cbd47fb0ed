namespace Chat.Grains.Conversations;

/// <summary>
/// What a conversation keeps in Orleans grain storage: small, bounded metadata. Members and their receipts live
/// in <c>conversation_members</c> and the history in <c>messages</c>, both written by the same grain.
/// </summary>
[GenerateSerializer, Alias("chat.conversation-state")]
public sealed class ConversationState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Type { get; set; } = ConversationTypes.Group;
    [Id(2)] public string? Name { get; set; }
    [Id(3)] public string? Description { get; set; }
    [Id(4)] public Guid CreatedBy { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public Guid? AvatarAttachmentId { get; set; }
    [Id(7)] public int? DisappearAfterSeconds { get; set; }
}
