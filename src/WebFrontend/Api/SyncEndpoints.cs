using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Chat.Grains.Errors;
using Chat.Grains.Users;
using Chat.WebFrontend.Auth;

namespace Chat.WebFrontend.Api;

public static class SyncEndpoints
{
    public sealed record SyncConversationDto(Guid Id, long LastSeq, long ReadSeq, long DeliveredSeq, long UnreadCount);

    public sealed record SyncDto(IReadOnlyList<SyncConversationDto> Conversations, string NextToken);

    /// <summary>
    /// <c>GET /sync?since=</c>: the caller's conversations that changed since the token (all without one). A change
    /// near the token's edge may be reported again; none is missed.
    /// </summary>
    public static RouteGroupBuilder MapSync(this RouteGroupBuilder api)
    {
        api.MapGet("/sync", async (string? since, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var result = await cluster.GetGrain<IUserGrain>(user.UserId()).SyncAsync(Decode(since));
            return new SyncDto(
                [.. result.Conversations.Select(c => new SyncConversationDto(c.ConversationId, c.LastSeq, c.ReadSeq, c.DeliveredSeq, c.UnreadCount))],
                Encode(result.Next));
        }).WithTags("Conversations").RequireAuthorization();
        return api;
    }

    private static string Encode(DateTimeOffset at) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"t:{at.ToUniversalTime().UtcTicks.ToString(CultureInfo.InvariantCulture)}"));

    private static DateTimeOffset? Decode(string? token)
    {
        if (token is null)
        {
            return null;
        }

        if (Base64Url.IsValid(token) && Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)) is var text
            && text.StartsWith("t:", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
        {
            return new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        throw ChatException.Validation("since is not a valid sync token.");
    }
}
