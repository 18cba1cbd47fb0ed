using System.Collections.Immutable;

namespace Chat.Grains.Conversations;

/// <summary>Conversation kinds of API.md.</summary>
public static class ConversationTypes
{
    public const string Direct = "direct";
    public const string Group = "group";
}

/// <summary>Member roles of API.md, strongest first.</summary>
public static class MemberRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";
}

[GenerateSerializer, Immutable, Alias("chat.member")]
public sealed record ConversationMember(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Role,
    [property: Id(2)] DateTimeOffset JoinedAt,
    [property: Id(3)] long ReadSeq,
    [property: Id(4)] long DeliveredSeq);

/// <summary>A conversation as one of its members sees it (watermarks and unread count are the caller's own).</summary>
[GenerateSerializer, Immutable, Alias("chat.conversation")]
public sealed record ConversationView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? Description,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] Guid CreatedBy,
    [property: Id(6)] ImmutableArray<ConversationMember> Members,
    [property: Id(7)] long LastSeq,
    [property: Id(8)] ChatMessage? LastMessage,
    [property: Id(9)] long ReadSeq,
    [property: Id(10)] long DeliveredSeq,
    [property: Id(11)] long UnreadCount,
    [property: Id(12)] long UnreadMentions = 0);

/// <summary>A member's watermarks after a receipt.</summary>
[GenerateSerializer, Immutable, Alias("chat.receipts")]
public sealed record Receipts(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] long DeliveredSeq,
    [property: Id(3)] long ReadSeq);
