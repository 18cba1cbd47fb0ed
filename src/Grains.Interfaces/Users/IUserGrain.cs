using System.Collections.Immutable;
using Chat.Grains.Conversations;

namespace Chat.Grains.Users;

/// <summary>
/// One user (key: user id): the index of the user's conversations, ordered by last activity with unread counts
/// derived from the log, the user's contacts and blocks, and the user's event stream.
/// </summary>
[Alias("chat.IUserGrain")]
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>A page of the user's conversations, newest activity first.</summary>
    [Alias("ListConversations")]
    Task<ConversationPage> ListConversationsAsync(int limit, string? cursor);

    /// <summary>Ids of every conversation the user belongs to (what a frontend subscribes to on connect).</summary>
    [Alias("GetConversationIds")]
    Task<ImmutableArray<Guid>> GetConversationIdsAsync();

    /// <summary>
    /// What changed in the user's conversations since a point in time (everything without one): conversations
    /// with new messages or with the user's own watermarks moved (on another device, say).
    /// </summary>
    [Alias("Sync")]
    Task<SyncResult> SyncAsync(DateTimeOffset? since);

    /// <summary>
    /// Asks <paramref name="otherId"/> to be a contact (they get <c>contactRequest</c>); if they had already asked,
    /// both become contacts. FORBIDDEN when either blocked the other.
    /// </summary>
    [Alias("RequestContact")]
    Task<Contact> RequestContactAsync(Guid otherId);

    /// <summary>Accepts a pending request from <paramref name="otherId"/>; NOT_FOUND when there is none.</summary>
    [Alias("AcceptContact")]
    Task<Contact> AcceptContactAsync(Guid otherId);

    /// <summary>Declines an incoming request, cancels an outgoing one, or ends a contact, on both sides.</summary>
    [Alias("RemoveContact")]
    Task RemoveContactAsync(Guid otherId);

    /// <summary>The other side of a request or an answer, called by the other user's grain.</summary>
    [Alias("ContactChanged"), Orleans.Concurrency.AlwaysInterleave]
    Task ContactChangedAsync(Guid otherId, string? state);

    [Alias("GetContacts")]
    Task<ImmutableArray<Contact>> GetContactsAsync();

    /// <summary>Blocks a user: they cannot open or write a direct conversation with this user, nor see their presence.</summary>
    [Alias("Block")]
    Task BlockAsync(Guid otherId);

    [Alias("Unblock")]
    Task UnblockAsync(Guid otherId);

    [Alias("GetBlocks")]
    Task<ImmutableArray<Guid>> GetBlocksAsync();

    /// <summary>Stores a report for moderators; a conversation or message must be one the reporter can see.</summary>
    /// <summary>Who may add this user to groups.</summary>
    [Alias("GetGroupAddPolicy")]
    Task<GroupAddPolicy> GetGroupAddPolicyAsync();

    [Alias("SetGroupAddPolicy")]
    Task SetGroupAddPolicyAsync(GroupAddPolicy policy);

    [Alias("Report")]
    Task<Report> ReportAsync(Guid? userId, Guid? conversationId, long? seq, string reason);
}

/// <summary>One conversation's counters as of a sync.</summary>
[GenerateSerializer, Immutable, Alias("chat.sync-entry")]
public sealed record SyncEntry(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] long ReadSeq,
    [property: Id(3)] long DeliveredSeq)
{
    public long UnreadCount => Math.Max(0, LastSeq - ReadSeq);
}

/// <summary>The changed conversations and the point to pass as <c>since</c> next time.</summary>
[GenerateSerializer, Immutable, Alias("chat.sync-result")]
public sealed record SyncResult([property: Id(0)] ImmutableArray<SyncEntry> Conversations, [property: Id(1)] DateTimeOffset Next);

[GenerateSerializer, Immutable, Alias("chat.conversation-page")]
public sealed record ConversationPage(
    [property: Id(0)] ImmutableArray<ConversationView> Conversations,
    [property: Id(1)] string? NextCursor);
