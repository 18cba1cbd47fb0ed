using System.Collections.Immutable;
using Chat.Grains.Conversations;

namespace Chat.Grains.History;

/// <summary>
/// Read paths served straight from PostgreSQL by stateless workers (key: 0), so reads never queue behind a
/// conversation's writes. Every method that takes a caller checks membership and answers NOT_FOUND otherwise.
/// </summary>
[Alias("chat.IHistoryGrain")]
public interface IHistoryGrain : IGrainWithIntegerKey
{
    /// <summary>A history page: exactly one of before/after/around, or none for the newest page.</summary>
    [Alias("GetPage")]
    Task<MessagePage> GetPageAsync(Guid callerId, Guid conversationId, HistoryQuery query);

    /// <summary>One message by seq.</summary>
    [Alias("GetMessage")]
    Task<ChatMessage> GetMessageAsync(Guid callerId, Guid conversationId, long seq);

    /// <summary>Up to <paramref name="limit"/> messages after <paramref name="afterSeq"/>: a client's catch-up (GetMissed).</summary>
    [Alias("GetAfter")]
    Task<ImmutableArray<ChatMessage>> GetAfterAsync(Guid callerId, Guid conversationId, long afterSeq, int limit);

    /// <summary>The earlier versions of an edited message, oldest first; empty for a tombstone.</summary>
    [Alias("GetEdits")]
    Task<ImmutableArray<MessageVersion>> GetEditsAsync(Guid callerId, Guid conversationId, long seq);

    /// <summary>The version after which a member's events begin: just before their latest joining (0: a member since creation).</summary>
    [Alias("GetJoinedSince")]
    Task<long> GetJoinedSinceAsync(Guid conversationId, Guid userId);

    /// <summary>The current version of each conversation (0 before any change): the frontends' batched lease probe.</summary>
    [Alias("GetVersions")]
    Task<ImmutableDictionary<Guid, long>> GetVersionsAsync(ImmutableArray<Guid> conversationIds);

    /// <summary>Answers when PostgreSQL does: the readiness probe.</summary>
    [Alias("Ping")]
    Task PingAsync();
}

/// <summary>Which page of history: at most one of the three anchors is set.</summary>
[GenerateSerializer, Immutable, Alias("chat.history-query")]
public sealed record HistoryQuery(
    [property: Id(0)] long? Before,
    [property: Id(1)] long? After,
    [property: Id(2)] long? Around,
    [property: Id(3)] int Limit);
