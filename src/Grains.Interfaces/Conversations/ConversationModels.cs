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
    [property: Id(4)] long DeliveredSeq,
    [property: Id(5)] bool Muted = false);

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
    [property: Id(12)] long UnreadMentions = 0,
    [property: Id(13)] bool Muted = false,
    [property: Id(14)] Guid? AvatarAttachmentId = null,
    [property: Id(15)] int? DisappearAfterSeconds = null);

/// <summary>Changes to a conversation's settings; null means unchanged.</summary>
[GenerateSerializer, Immutable, Alias("chat.conversation-changes")]
public sealed record ConversationChanges(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] Guid? AvatarAttachmentId = null,
    [property: Id(3)] int? DisappearAfterSeconds = null,
    [property: Id(4)] bool? Muted = null);

/// <summary>What a system message in the log records (its content is this, as JSON).</summary>
[GenerateSerializer, Immutable, Alias("chat.system-event")]
public sealed record SystemEvent(
    [property: Id(0)] string Event,
    [property: Id(1)] Guid By,
    [property: Id(2)] Guid? UserId = null,
    [property: Id(3)] string? Role = null,
    [property: Id(4)] string? Name = null,
    [property: Id(5)] int? Seconds = null);

/// <summary>The <c>event</c> values of system messages.</summary>
public static class SystemEvents
{
    public const string MemberAdded = "memberAdded";
    public const string MemberRemoved = "memberRemoved";
    public const string MemberLeft = "memberLeft";
    public const string RoleChanged = "roleChanged";
    public const string Renamed = "renamed";
    public const string DisappearingChanged = "disappearingChanged";
}

/// <summary>A member's watermarks after a receipt.</summary>
[GenerateSerializer, Immutable, Alias("chat.receipts")]
public sealed record Receipts(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] long DeliveredSeq,
    [property: Id(3)] long ReadSeq);
