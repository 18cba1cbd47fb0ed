using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using Chat.Grains.Search;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;

namespace Chat.WebFrontend.Api;

public static class SearchEndpoints
{
    public sealed record SearchResultDto(Guid ConversationId, long Seq, Guid SenderId, DateTimeOffset CreatedAt, string Snippet);

    public sealed record SearchResultsDto(IReadOnlyList<SearchResultDto> Results, string? NextCursor);

    public sealed record UsersDto(IReadOnlyList<UserDto> Users);

    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder api)
    {
        api.MapGet("/search/messages", SearchMessagesAsync).WithTags("Search").RequireAuthorization();
        api.MapGet("/users/search", SearchUsersAsync).WithTags("Users").RequireAuthorization();
        return api;
    }

    /// <summary>Ranked full-text search in the caller's conversations; <c>snippet</c> is HTML-escaped text with <c>&lt;mark&gt;</c>.</summary>
    private static async Task<SearchResultsDto> SearchMessagesAsync(string? q, Guid? conversationId, int? limit, string? cursor,
        ClaimsPrincipal user, IClusterClient cluster)
    {
        var size = Validate.Limit(limit, 20, SearchLimits.MaxLimit);
        var offset = DecodeCursor(cursor);
        var page = await cluster.GetGrain<ISearchGrain>(0).SearchMessagesAsync(user.UserId(), new MessageSearch(q ?? "", conversationId, size, offset));
        return new SearchResultsDto(
            [.. page.Hits.Select(h => new SearchResultDto(h.ConversationId, h.Seq, h.SenderId, h.CreatedAt, h.Snippet))],
            page.HasMore ? EncodeCursor(offset + size) : null);
    }

    private static async Task<UsersDto> SearchUsersAsync(string? q, int? limit, IClusterClient cluster)
    {
        var users = await cluster.GetGrain<ISearchGrain>(0).SearchUsersAsync(q ?? "", Validate.Limit(limit, 20, SearchLimits.MaxLimit));
        return new UsersDto([.. users.Select(UserDto.From)]);
    }

    /// <summary>A search cursor is the offset of the next page, opaque to clients.</summary>
    private static string EncodeCursor(int offset) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"o:{offset}"));

    private static int DecodeCursor(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }

        if (Base64Url.IsValid(cursor))
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), out var offset) && offset >= 0)
            {
                return offset;
            }
        }

        throw Grains.Errors.ChatException.Validation("cursor is not valid.");
    }
}
