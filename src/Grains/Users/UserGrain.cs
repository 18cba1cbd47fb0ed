using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Microsoft.Extensions.Options;

namespace Chat.Grains.Users;

/// <summary>
/// A user's index of conversations. The order and unread counts are derived from the log at read time, so that
/// a message to a large group costs no write per member.
/// </summary>
[GrainType("user")]
internal sealed partial class UserGrain(
    MemberStore members,
    ContactStore contacts,
    AccountStore accounts,
    TimeProvider clock,
    IOptions<SyncOptions> syncOptions) : Grain, IUserGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<ConversationPage> ListConversationsAsync(int limit, string? cursor)
    {
        var page = await members.ListByActivityAsync(Id, limit + 1, ActivityCursor.Decode(cursor));
        var views = await Task.WhenAll(page.Take(limit).Select(c => TryGetAsync(c.ConversationId)));
        var next = page.Count > limit ? ActivityCursor.Encode(page[limit - 1].Activity, page[limit - 1].ConversationId) : null;
        return new ConversationPage([.. views.OfType<ConversationView>()], next);
    }

    public Task<ImmutableArray<Guid>> GetConversationIdsAsync() => members.ConversationIdsAsync(Id);

    public async Task<SyncResult> SyncAsync(DateTimeOffset? since)
    {
        var (changed, asOf) = await members.ChangedSinceAsync(Id, since);
        return new SyncResult([.. changed], asOf - syncOptions.Value.Overlap);
    }

    private async Task<ConversationView?> TryGetAsync(Guid conversationId)
    {
        try
        {
            return await GrainFactory.GetGrain<IConversationGrain>(conversationId).GetAsync(Id);
        }
        catch (ChatException e) when (e.Code == ErrorCodes.NotFound)
        {
            return null; // membership rows of a creation that never completed
        }
    }
}
