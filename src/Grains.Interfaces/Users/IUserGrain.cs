using System.Collections.Immutable;
using Chat.Grains.Conversations;

namespace Chat.Grains.Users;

/// <summary>
/// One user (key: user id): the index of the user's conversations, ordered by last activity with unread counts
/// derived from the log, and the user's event stream (conversations joined).
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

    /// <summary>Tells the user's live sessions that they now belong to a conversation, from <paramref name="fromSeq"/> on.</summary>
    [Alias("NotifyJoined")]
    Task NotifyJoinedAsync(Guid conversationId, long fromSeq);

    /// <summary>Tells the user's live sessions that they no longer belong to a conversation (<paramref name="by"/> removed them).</summary>
    [Alias("NotifyLeft")]
    Task NotifyLeftAsync(Guid conversationId, Guid by);
}

[GenerateSerializer, Immutable, Alias("chat.conversation-page")]
public sealed record ConversationPage(
    [property: Id(0)] ImmutableArray<ConversationView> Conversations,
    [property: Id(1)] string? NextCursor);
