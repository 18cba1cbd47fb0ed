using System.Collections.Immutable;
using Chat.Grains.Accounts;

namespace Chat.Grains.Search;

/// <summary>Search read paths, straight from PostgreSQL (a stateless worker: any silo, many at once).</summary>
[Alias("chat.ISearchGrain")]
public interface ISearchGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Full-text search (PostgreSQL <c>websearch_to_tsquery</c>) over the messages of the caller's conversations,
    /// best match first; never deleted, hidden or system messages.
    /// </summary>
    [Alias("SearchMessages")]
    Task<SearchPage> SearchMessagesAsync(Guid callerId, MessageSearch search);

    /// <summary>Users whose username or display name starts with <paramref name="prefix"/> (case-insensitive).</summary>
    [Alias("SearchUsers")]
    Task<ImmutableArray<UserProfile>> SearchUsersAsync(string prefix, int limit);
}

[GenerateSerializer, Immutable, Alias("chat.message-search")]
public sealed record MessageSearch(
    [property: Id(0)] string Query,
    [property: Id(1)] Guid? ConversationId,
    [property: Id(2)] int Limit,
    [property: Id(3)] int Offset);

/// <summary>One hit: where it is and a snippet of its text, HTML-escaped, with the matches in <c>&lt;mark&gt;</c>.</summary>
[GenerateSerializer, Immutable, Alias("chat.search-hit")]
public sealed record SearchHit(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] long Seq,
    [property: Id(2)] Guid SenderId,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string Snippet);

[GenerateSerializer, Immutable, Alias("chat.search-page")]
public sealed record SearchPage([property: Id(0)] ImmutableArray<SearchHit> Hits, [property: Id(1)] bool HasMore);

/// <summary>Bounds of a search request.</summary>
public static class SearchLimits
{
    public const int MaxLimit = 50;
    public const int MaxOffset = 1000;
    public const int MaxQueryLength = 200;
}
