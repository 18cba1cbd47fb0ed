namespace Chat.Grains.Conversations;

/// <summary>Who might need a push for a message. Whether they are offline is decided when the notification is delivered.</summary>
internal static class NotificationRecipients
{
    /// <summary>
    /// Every member but the sender, except those who muted the conversation and are not mentioned; nobody for a
    /// system message, or when notifications are off.
    /// </summary>
    public static Guid[] For(ChatMessage message, IEnumerable<ConversationMember> members, bool enabled) =>
        !enabled || message.ContentType == "system"
            ? []
            : [.. members.Where(m => m.UserId != message.SenderId && (!m.Muted || message.Mentions.Contains(m.UserId))).Select(m => m.UserId)];
}
