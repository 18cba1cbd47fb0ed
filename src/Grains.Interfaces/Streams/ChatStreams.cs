using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Chat.Grains.Presence;
using Orleans.Runtime;

namespace Chat.Grains.Streams;

/// <summary>The one place that names the stream provider, its namespaces and stream ids.</summary>
public static class ChatStreams
{
    public const string Provider = "chat";
    public const string PubSubStore = "PubSubStore";

    /// <summary>
    /// How many memory-stream queues carry the events. Silos and clients must agree: a client (a frontend
    /// publishing typing) puts a stream's events on one of this many queues, and silos pull exactly these.
    /// </summary>
    public const int Queues = 2;
    private const string ConversationNamespace = "conversation";
    private const string UserNamespace = "user";

    /// <summary>Events of one conversation: messages (ordered by seq), receipts, presence of its members.</summary>
    public static StreamId Conversation(Guid conversationId) => StreamId.Create(ConversationNamespace, conversationId);

    /// <summary>Events for one user's sessions, e.g. being added to a conversation.</summary>
    public static StreamId User(Guid userId) => StreamId.Create(UserNamespace, userId);
}

/// <summary>
/// An event on a conversation stream. <see cref="Version"/> is the conversation version at which it happened
/// (API.md); typing and presence are ephemeral and carry 0.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.conversation-event")]
public abstract record ConversationEvent([property: Id(0)] Guid ConversationId)
{
    [Id(1)]
    public long Version { get; init; }
}

[GenerateSerializer, Immutable, Alias("chat.message-event")]
public sealed record MessageEvent(Guid ConversationId, [property: Id(0)] ChatMessage Message) : ConversationEvent(ConversationId);

[GenerateSerializer, Immutable, Alias("chat.receipts-event")]
public sealed record ReceiptsEvent(Guid ConversationId, [property: Id(0)] Receipts Receipts) : ConversationEvent(ConversationId);

/// <summary>Receipts moved in a big group: where every member stands now, instead of each member's receipts.</summary>
[GenerateSerializer, Immutable, Alias("chat.receipts-summary-event")]
public sealed record ReceiptsSummaryEvent(Guid ConversationId, [property: Id(0)] ReceiptsSummary Summary) : ConversationEvent(ConversationId);

[GenerateSerializer, Immutable, Alias("chat.edited-event")]
public sealed record MessageEditedEvent(Guid ConversationId, [property: Id(0)] ChatMessage Message) : ConversationEvent(ConversationId);

/// <summary>A message deleted for everyone (a "delete for me" goes to the user's own stream instead).</summary>
[GenerateSerializer, Immutable, Alias("chat.deleted-event")]
public sealed record MessageDeletedEvent(Guid ConversationId, [property: Id(0)] long Seq) : ConversationEvent(ConversationId);

[GenerateSerializer, Immutable, Alias("chat.reactions-event")]
public sealed record ReactionsChangedEvent(Guid ConversationId, [property: Id(0)] long Seq, [property: Id(1)] ImmutableArray<Reaction> Reactions)
    : ConversationEvent(ConversationId);

/// <summary>Someone joined (<c>Added</c>) or left the conversation; <c>By</c> is who did it.</summary>
[GenerateSerializer, Immutable, Alias("chat.membership-event")]
public sealed record MembershipEvent(Guid ConversationId, [property: Id(0)] Guid UserId, [property: Id(1)] Guid By, [property: Id(2)] bool Added)
    : ConversationEvent(ConversationId);

/// <summary>The shared settings of the conversation changed (members' own fields are neutral in it).</summary>
[GenerateSerializer, Immutable, Alias("chat.updated-event")]
public sealed record ConversationUpdatedEvent(Guid ConversationId, [property: Id(0)] ConversationView Conversation) : ConversationEvent(ConversationId);

/// <summary>A member started or stopped typing; published by frontends, never stored, at most one per typist per few seconds.</summary>
[GenerateSerializer, Immutable, Alias("chat.typing-event")]
public sealed record TypingEvent(Guid ConversationId, [property: Id(0)] Guid UserId, [property: Id(1)] bool IsTyping) : ConversationEvent(ConversationId);

/// <summary>A member's presence changed; the users in <c>HiddenFrom</c> (whom they blocked) must not be told.</summary>
[GenerateSerializer, Immutable, Alias("chat.presence-event")]
public sealed record PresenceEvent(Guid ConversationId, [property: Id(0)] PresenceStatus Presence, [property: Id(1)] ImmutableArray<Guid> HiddenFrom)
    : ConversationEvent(ConversationId);

/// <summary>An event on one user's stream, for that user's connections only.</summary>
[GenerateSerializer, Immutable, Alias("chat.user-event")]
public abstract record UserEvent([property: Id(0)] Guid UserId);

/// <summary>
/// The user now belongs to a conversation, so their live connections receive every change after
/// <c>SinceVersion</c>: from their own <c>memberAdded</c> on, or after the conversation's creation.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.joined-event")]
public sealed record JoinedConversationEvent(Guid UserId, [property: Id(0)] Guid ConversationId, [property: Id(1)] long SinceVersion) : UserEvent(UserId);

/// <summary>The user no longer belongs to the conversation: their connections stop receiving it.</summary>
[GenerateSerializer, Immutable, Alias("chat.left-event")]
public sealed record LeftConversationEvent(Guid UserId, [property: Id(0)] Guid ConversationId, [property: Id(1)] Guid By) : UserEvent(UserId);

/// <summary>A contact's presence changed (contacts who share no conversation hear it this way).</summary>
[GenerateSerializer, Immutable, Alias("chat.contact-presence-event")]
public sealed record ContactPresenceEvent(Guid UserId, [property: Id(0)] PresenceStatus Presence) : UserEvent(UserId);

/// <summary>Someone asked the user to be a contact.</summary>
[GenerateSerializer, Immutable, Alias("chat.contact-request-event")]
public sealed record ContactRequestEvent(Guid UserId, [property: Id(0)] Guid FromUserId) : UserEvent(UserId);

/// <summary>The user deleted a message for themself only.</summary>
[GenerateSerializer, Immutable, Alias("chat.hidden-event")]
public sealed record MessageHiddenEvent(Guid UserId, [property: Id(0)] Guid ConversationId, [property: Id(1)] long Seq) : UserEvent(UserId);

/// <summary>A session was revoked (logout, or a refresh token reused): its hub connections are closed.</summary>
[GenerateSerializer, Immutable, Alias("chat.session-revoked")]
public sealed record SessionRevokedEvent(Guid UserId, [property: Id(0)] Guid SessionId) : UserEvent(UserId);
