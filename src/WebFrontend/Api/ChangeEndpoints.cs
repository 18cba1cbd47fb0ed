using System.Security.Claims;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;

namespace Chat.WebFrontend.Api;

/// <summary>
/// GET /conversations/{id}/changes: everything that changed after a version, for a client to bring its copy up to
/// date after a disconnect (the hub's GetChanges answers the same for many conversations at once).
/// </summary>
public static class ChangeEndpoints
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapChanges(this RouteGroupBuilder api)
    {
        api.MapGet("/conversations/{id:guid}/changes", GetAsync).WithTags("Conversations").RequireAuthorization();
        return api;
    }

    /// <summary>Shared by REST and the hub: the edge checks, then one grain call.</summary>
    public static Task<ConversationChangeSet> ReadAsync(IClusterClient cluster, Guid callerId, Guid conversationId, long since, int limit)
    {
        Validate.That(since >= 0, "since must be a version >= 0.");
        Validate.That(limit is >= 1 and <= MaxLimit, $"limit must be 1-{MaxLimit}.");
        return cluster.GetGrain<IConversationGrain>(conversationId).GetChangesAsync(callerId, since, limit);
    }

    private static async Task<ChangesDto> GetAsync(Guid id, long? since, int? limit, ClaimsPrincipal user, IClusterClient cluster)
    {
        var changes = await ReadAsync(cluster, user.UserId(), id, since ?? 0, limit ?? DefaultLimit);
        // Over REST a non-member learns nothing, not even that the conversation exists (API.md conventions).
        return changes.IsMember ? ChangesDto.From(changes) : throw ChatException.NotFound("No such conversation.");
    }
}
