using System.Collections.Immutable;
using Chat.Grains.Attachments;

namespace Chat.Grains.Conversations;

/// <summary>
/// A stored message, as API.md describes it. A tombstone (deleted for everyone) keeps its seq with
/// <see cref="Content"/> null and no attachments, reactions or mentions.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.message")]
public sealed record ChatMessage(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] long Seq,
    [property: Id(3)] Guid SenderId,
    [property: Id(4)] string ClientMessageId,
    [property: Id(5)] string ContentType,
    [property: Id(6)] string? Content,
    [property: Id(7)] string Format,
    [property: Id(8)] long? ReplyToSeq,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset? EditedAt,
    [property: Id(11)] DateTimeOffset? DeletedAt,
    [property: Id(12)] ImmutableArray<AttachmentInfo> Attachments,
    [property: Id(13)] ImmutableArray<Guid> Mentions,
    [property: Id(14)] MessageRef? ForwardedFrom,
    [property: Id(15)] ImmutableArray<Reaction> Reactions,
    [property: Id(16)] DateTimeOffset? ExpiresAt,
    [property: Id(17)] long Version = 0,
    [property: Id(18)] long CreatedVersion = 0)
{
    public bool IsDeleted => DeletedAt is not null;
}

/// <summary>A message named by its conversation and seq.</summary>
[GenerateSerializer, Immutable, Alias("chat.message-ref")]
public sealed record MessageRef([property: Id(0)] Guid ConversationId, [property: Id(1)] long Seq);

/// <summary>One emoji on a message: how many users reacted with it, and who, first reaction first.</summary>
[GenerateSerializer, Immutable, Alias("chat.reaction")]
public sealed record Reaction([property: Id(0)] string Emoji, [property: Id(1)] int Count, [property: Id(2)] ImmutableArray<Guid> UserIds);

/// <summary>An earlier version of an edited message: its content until <see cref="ReplacedAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("chat.message-version")]
public sealed record MessageVersion([property: Id(0)] string Content, [property: Id(1)] DateTimeOffset ReplacedAt);

/// <summary>Delete scopes of API.md.</summary>
public static class DeleteScopes
{
    public const string Me = "me";
    public const string Everyone = "everyone";
}

/// <summary>What a sender asks to post. Validated at the edge and again by the grain.</summary>
[GenerateSerializer, Immutable, Alias("chat.send-request")]
public sealed record SendMessageRequest(
    [property: Id(0)] string ClientMessageId,
    [property: Id(1)] string Content,
    [property: Id(2)] string ContentType,
    [property: Id(3)] string Format,
    [property: Id(4)] long? ReplyToSeq,
    [property: Id(5)] ImmutableArray<Guid> AttachmentIds,
    [property: Id(6)] MessageRef? ForwardedFrom = null);

/// <summary>The result of a send: the stored message and whether this call created it (false: a retry).</summary>
[GenerateSerializer, Immutable, Alias("chat.send-result")]
public sealed record SendMessageResult(
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] bool Created);

/// <summary>A page of history, ascending by seq.</summary>
[GenerateSerializer, Immutable, Alias("chat.message-page")]
public sealed record MessagePage(
    [property: Id(0)] ImmutableArray<ChatMessage> Messages,
    [property: Id(1)] bool HasMore);
