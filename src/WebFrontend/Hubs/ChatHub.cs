using System.Collections.Immutable;
using Chat.Grains.Accounts;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Hosting;
using Chat.Grains.History;
using Chat.Grains.Presence;
using Chat.WebFrontend.Api;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;
using Chat.WebFrontend.RateLimits;
using Chat.WebFrontend.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Hubs;

/// <summary>
/// The real-time endpoint. Methods are thin: check the arguments, call one grain, return. Delivery to clients is
/// not done here but by <see cref="ConversationFeeds"/>, which forwards each conversation's events in version order.
/// </summary>
[Authorize]
public sealed class ChatHub(IClusterClient cluster, GrainReferences grains, ConnectionTracker connections, TypingTracker typing, ReceiptForwarder receipts, IOptions<ChatLimits> limits,
    ChatRateLimiters rateLimiters, Hosting.FrontendMetrics metrics, Hosting.FrontendDrain drain)
    : Hub<IChatClient>
{
    public const int MaxMissedPerConversation = 500;
    public const int MaxMissedConversations = 1000;

    /// <summary>Messages one catch-up call may build in all, so that one small request cannot ask for 1,000 x 500.</summary>
    public const int MaxCatchUpMessages = 5000;

    /// <summary>
    /// The messages per conversation in a catch-up of this many conversations: 500 for up to 10, fewer beyond (never
    /// under 10), so that the whole answer stays near <see cref="MaxCatchUpMessages"/>. A shortened list says
    /// <c>hasMore</c> (GetChanges), or is as long as this limit (GetMissed): call again from where it ends.
    /// </summary>
    public static int CatchUpLimit(int conversations) => Math.Clamp(MaxCatchUpMessages / Math.Max(1, conversations), 10, MaxMissedPerConversation);

    public sealed record SendMessageArgs(
        Guid? ConversationId, string? ClientMessageId, string? Content, string? ContentType, string? Format,
        long? ReplyToSeq, List<Guid>? AttachmentIds);

    public sealed record SendAck(Guid ConversationId, long Seq, Guid Id, string ClientMessageId, DateTimeOffset CreatedAt);

    /// <summary>
    /// Joins the user's feeds, then refuses a token whose session was revoked: checked after subscribing to the
    /// user's stream, so a revocation in between still reaches this connection.
    /// </summary>
    public override async Task OnConnectedAsync()
    {
        if (drain.IsDraining)
        {
            Context.Abort(); // this node is shutting down: the client reconnects to another
            return;
        }

        await connections.ConnectedAsync(Context.ConnectionId, Context.User!.UserId());
        if (Context.User!.SessionId() is { } session && !await cluster.GetGrain<IAccountsGrain>(0).IsSessionLiveAsync(session))
        {
            Context.Abort();
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await typing.DisconnectedAsync(Context.ConnectionId);
        await connections.DisconnectedAsync(Context.ConnectionId);
    }

    public async Task<SendAck> SendMessage(SendMessageArgs args)
    {
        Validate.That(args?.ConversationId is { } id && id != Guid.Empty, "conversationId is required.");
        var body = new MessageEndpoints.PostMessageRequest(args!.ClientMessageId, args.Content, args.ContentType, args.Format, args.ReplyToSeq, args.AttachmentIds, null);
        var message = (await MessageEndpoints.SendAsync(grains, limits.Value, rateLimiters, metrics, drain, Context.User!.UserId(), args.ConversationId!.Value, body)).Message;
        return new SendAck(message.ConversationId, message.Seq, message.Id, message.ClientMessageId, message.CreatedAt);
    }

    public async Task<MessageDto> EditMessage(Guid conversationId, long seq, string content) =>
        MessageDto.From(await cluster.GetGrain<IConversationGrain>(conversationId).EditAsync(Context.User!.UserId(), seq, content ?? ""));

    public Task DeleteMessage(Guid conversationId, long seq, string scope) =>
        cluster.GetGrain<IConversationGrain>(conversationId).DeleteAsync(Context.User!.UserId(), seq, scope ?? "");

    public Task AddReaction(Guid conversationId, long seq, string emoji) =>
        cluster.GetGrain<IConversationGrain>(conversationId).ReactAsync(Context.User!.UserId(), seq, emoji ?? "", add: true);

    public Task RemoveReaction(Guid conversationId, long seq, string emoji) =>
        cluster.GetGrain<IConversationGrain>(conversationId).ReactAsync(Context.User!.UserId(), seq, emoji ?? "", add: false);

    /// <summary>Call again every few seconds while the user keeps typing; without a refresh it ends after 6 s.</summary>
    public Task StartTyping(Guid conversationId)
    {
        // The connection's groups are its conversations: no grain call per keystroke.
        if (!connections.IsIn(Context.ConnectionId, conversationId))
        {
            throw ChatException.NotFound("No such conversation.");
        }

        return typing.StartAsync(conversationId, Context.User!.UserId(), Context.ConnectionId);
    }

    public Task StopTyping(Guid conversationId) => typing.StopAsync(conversationId, Context.User!.UserId());

    /// <summary>
    /// status: online, away, busy or invisible (shown to others as offline); customStatus at most 100 characters, or
    /// null. SignalR binds arguments by position and has no optional ones: clients always pass both.
    /// </summary>
    public Task SetPresence(string status, string? customStatus) =>
        cluster.GetGrain<IPresenceGrain>(Context.User!.UserId()).SetStatusAsync(status ?? "", customStatus);

    public Task MarkDelivered(Guid conversationId, long seq) => receipts.MarkAsync(conversationId, new(Context.User!.UserId(), seq, Read: false));

    public Task MarkRead(Guid conversationId, long seq) => receipts.MarkAsync(conversationId, new(Context.User!.UserId(), seq, Read: true));

    /// <summary>
    /// Catch-up after a reconnect: everything after each last seen seq, at most 500 per conversation. Conversations
    /// the caller does not (or no longer) belong to are left out of the answer.
    /// </summary>
    public async Task<Dictionary<Guid, List<MessageDto>>> GetMissed(Dictionary<Guid, long> lastSeen)
    {
        ValidateCatchUp(lastSeen, "seq");
        var history = cluster.GetGrain<IHistoryGrain>(0);
        var me = Context.User!.UserId();
        var limit = CatchUpLimit(lastSeen.Count);
        var pages = await Task.WhenAll(lastSeen.Select(async entry =>
        {
            try
            {
                return (entry.Key, Messages: await history.GetAfterAsync(me, entry.Key, entry.Value, limit));
            }
            catch (ChatException left) when (left.Code == ErrorCodes.NotFound)
            {
                return (entry.Key, Messages: default(ImmutableArray<ChatMessage>));
            }
        }));
        return pages.Where(p => !p.Messages.IsDefault).ToDictionary(p => p.Key, p => p.Messages.Select(MessageDto.From).ToList());
    }

    /// <summary>
    /// The complete catch-up after a reconnect: for each conversation, everything that changed after the last version
    /// the client saw (at most 500 messages; <c>hasMore</c> says to call again from the returned version).
    /// </summary>
    public async Task<Dictionary<Guid, ChangesDto>> GetChanges(Dictionary<Guid, long> sinceVersions)
    {
        ValidateCatchUp(sinceVersions, "version");
        var me = Context.User!.UserId();
        var limit = Math.Min(CatchUpLimit(sinceVersions.Count), ChangeEndpoints.MaxLimit);
        var changes = await Task.WhenAll(sinceVersions.Select(entry => ChangeEndpoints.ReadAsync(cluster, me, entry.Key, entry.Value, limit)));
        return changes.ToDictionary(c => c.ConversationId, ChangesDto.From);
    }

    private static void ValidateCatchUp(Dictionary<Guid, long>? map, string what)
    {
        Validate.That(map is not null && map.Count <= MaxMissedConversations, $"Pass 1-{MaxMissedConversations} conversations.");
        Validate.That(map!.Values.All(value => value >= 0), $"Each last seen {what} must be >= 0.");
    }
}
