using Chat.Grains.Accounts;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;

namespace Chat.WebFrontend.Api;

/// <summary>The JSON shapes of API.md, built from grain records in one place for REST and the hub alike.</summary>
public sealed record UserDto(Guid Id, string Username, string DisplayName, string StatusMessage, string? AvatarUrl, DateTimeOffset CreatedAt)
{
    public static UserDto From(UserProfile u) => new(u.Id, u.Username, u.DisplayName, u.StatusMessage,
        u.AvatarAttachmentId is { } avatar ? $"/api/v1/users/{u.Id}/avatar?v={avatar}" : null, u.CreatedAt);
}

public sealed record MemberDto(Guid UserId, string Role, DateTimeOffset JoinedAt);

public sealed record ConversationDto(
    Guid Id, string Type, string? Name, string? Description, string? AvatarUrl, DateTimeOffset CreatedAt, Guid CreatedBy,
    IReadOnlyList<MemberDto> Members, long LastSeq, MessageDto? LastMessage, long ReadSeq, long DeliveredSeq,
    long UnreadCount, long UnreadMentions, bool Muted, int? DisappearAfterSeconds, long Version)
{
    public static ConversationDto From(ConversationView c) => new(
        c.Id, c.Type, c.Name, c.Description,
        c.AvatarAttachmentId is { } avatar ? $"/api/v1/conversations/{c.Id}/avatar?v={avatar}" : null, c.CreatedAt, c.CreatedBy,
        [.. c.Members.Select(m => new MemberDto(m.UserId, m.Role, m.JoinedAt))],
        c.LastSeq, c.LastMessage is { } last ? MessageDto.From(last) : null, c.ReadSeq, c.DeliveredSeq, c.UnreadCount, c.UnreadMentions,
        c.Muted, c.DisappearAfterSeconds, c.Version);
}

public sealed record ForwardedFromDto(Guid ConversationId, long Seq);

public sealed record ReactionDto(string Emoji, int Count, IReadOnlyList<Guid> UserIds)
{
    public static ReactionDto From(Reaction r) => new(r.Emoji, r.Count, r.UserIds);
}

public sealed record ReactionsDto(Guid ConversationId, long Seq, IReadOnlyList<ReactionDto> Reactions, long Version)
{
    public static ReactionsDto From(Guid conversationId, long seq, IEnumerable<Reaction> reactions, long version) =>
        new(conversationId, seq, [.. reactions.Select(ReactionDto.From)], version);
}

public sealed record MembershipDto(Guid ConversationId, Guid UserId, Guid By, long Version);

/// <summary><c>version</c> is null for <c>scope: "me"</c>: hiding a message from oneself is not a conversation change.</summary>
public sealed record MessageDeletedDto(Guid ConversationId, long Seq, string Scope, long? Version);

public sealed record MessageVersionDto(string Content, DateTimeOffset ReplacedAt);

/// <summary>A message; a tombstone has <c>content</c> null, <c>deletedAt</c> set and nothing attached.</summary>
public sealed record MessageDto(
    Guid Id, Guid ConversationId, long Seq, Guid SenderId, string ClientMessageId, string ContentType, string? Content,
    string Format, long? ReplyToSeq, ForwardedFromDto? ForwardedFrom, IReadOnlyList<AttachmentDto> Attachments,
    IReadOnlyList<ReactionDto> Reactions, IReadOnlyList<Guid> Mentions, DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt, DateTimeOffset? DeletedAt, DateTimeOffset? ExpiresAt, long Version)
{
    public static MessageDto From(ChatMessage m) => new(
        m.Id, m.ConversationId, m.Seq, m.SenderId, m.ClientMessageId, m.ContentType, m.Content, m.Format, m.ReplyToSeq,
        m.ForwardedFrom is { } from ? new ForwardedFromDto(from.ConversationId, from.Seq) : null,
        [.. m.Attachments.Select(AttachmentDto.From)], [.. m.Reactions.Select(ReactionDto.From)], m.Mentions,
        m.CreatedAt, m.EditedAt, m.DeletedAt, m.ExpiresAt, m.Version);
}

/// <summary>
/// An attachment. The URLs are this API's own routes (bearer token, or a download ticket from <c>POST /tickets</c> for <c>img</c> tags);
/// they answer with the bytes or a redirect to a short-lived signed URL.
/// </summary>
public sealed record AttachmentDto(
    Guid Id, Guid ConversationId, string FileName, string ContentType, long Size, string Sha256, int? Width, int? Height,
    string Url, string? ThumbnailUrl, string? MediumUrl)
{
    public static AttachmentDto From(AttachmentInfo a) => new(
        a.Id, a.ConversationId, a.FileName, a.ContentType, a.Size, a.Sha256, a.Width, a.Height,
        $"/api/v1/attachments/{a.Id}",
        a.HasPreviews ? $"/api/v1/attachments/{a.Id}/thumbnail" : null,
        a.HasPreviews ? $"/api/v1/attachments/{a.Id}/thumbnail?size=medium" : null);
}

public sealed record MessagePageDto(IReadOnlyList<MessageDto> Messages, bool HasMore);

public sealed record ReceiptsDto(Guid ConversationId, Guid UserId, long DeliveredSeq, long ReadSeq, long Version)
{
    public static ReceiptsDto From(Receipts r) => new(r.ConversationId, r.UserId, r.DeliveredSeq, r.ReadSeq, r.Version);
}

/// <summary>API.md's <c>receiptsSummaryChanged</c>: every member has received up to <c>deliveredSeq</c> and read up to <c>readSeq</c>.</summary>
public sealed record ReceiptsSummaryDto(Guid ConversationId, long DeliveredSeq, long ReadSeq, long Version);

/// <summary>Where every member of a big group stands (<c>changes.receiptsSummary</c>).</summary>
public sealed record WatermarksDto(long DeliveredSeq, long ReadSeq);

public sealed record ReceiptsListDto(IReadOnlyList<ReceiptsDto> Receipts);

/// <summary>API.md's <c>changes</c>: what to apply to bring a copy of the conversation up to <c>version</c>.</summary>
public sealed record ChangesDto(
    Guid ConversationId, long Version, IReadOnlyList<MessageDto> Messages, IReadOnlyList<ReceiptsDto> Receipts,
    IReadOnlyList<MemberDto>? Members, ConversationDto? Conversation, bool IsMember, bool HasMore, WatermarksDto? ReceiptsSummary)
{
    public static ChangesDto From(ConversationChangeSet c)
    {
        var conversation = c.Conversation is { } view ? ConversationDto.From(view) : null;
        var summary = c.ReceiptsSummary is { } s ? new WatermarksDto(s.DeliveredSeq, s.ReadSeq) : null;
        return new(c.ConversationId, c.Version, [.. c.Messages.Select(MessageDto.From)], [.. c.Receipts.Select(ReceiptsDto.From)],
            conversation?.Members, conversation, c.IsMember, c.HasMore, summary);
    }
}
