using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Orleans.Concurrency;

namespace Chat.Grains.History;

[StatelessWorker]
[GrainType("history")]
internal sealed class HistoryGrain(MessageStore messages, MemberStore members) : Grain, IHistoryGrain
{
    public const int MaxPage = 200;

    public async Task<MessagePage> GetPageAsync(Guid callerId, Guid conversationId, HistoryQuery query)
    {
        if (query.Limit is < 1 or > MaxPage)
        {
            throw ChatException.Validation($"limit must be 1-{MaxPage}.");
        }

        await RequireMemberAsync(callerId, conversationId);
        var limit = query.Limit;
        switch (query)
        {
            case { After: { } after }:
                var newer = await messages.GetAfterAsync(conversationId, after, limit + 1, callerId);
                return new MessagePage(newer.Length > limit ? newer[..limit] : newer, newer.Length > limit);
            case { Around: { } around }:
                var older = await messages.GetBeforeAsync(conversationId, around, limit / 2, callerId);
                var rest = await messages.GetAfterAsync(conversationId, around - 1, limit - older.Length + 1, callerId);
                var hasMore = rest.Length > limit - older.Length || (older.Length > 0 && older[0].Seq > 1);
                return new MessagePage([.. older, .. rest.Take(limit - older.Length)], hasMore);
            default:
                var before = await messages.GetBeforeAsync(conversationId, query.Before ?? long.MaxValue, limit + 1, callerId);
                return new MessagePage(before.Length > limit ? before[1..] : before, before.Length > limit);
        }
    }

    public async Task<ChatMessage> GetMessageAsync(Guid callerId, Guid conversationId, long seq)
    {
        await RequireMemberAsync(callerId, conversationId);
        return await messages.FindAsync(conversationId, seq, callerId) ?? throw ChatException.NotFound("No message with that seq.");
    }

    public async Task<ImmutableArray<ChatMessage>> GetAfterAsync(Guid callerId, Guid conversationId, long afterSeq, int limit)
    {
        await RequireMemberAsync(callerId, conversationId);
        return await messages.GetAfterAsync(conversationId, afterSeq, Math.Clamp(limit, 1, 1000), callerId);
    }

    public async Task<ImmutableArray<MessageVersion>> GetEditsAsync(Guid callerId, Guid conversationId, long seq)
    {
        var message = await GetMessageAsync(callerId, conversationId, seq);
        return message.IsDeleted ? [] : await messages.GetEditsAsync(conversationId, seq);
    }

    public Task<long> GetJoinedSinceAsync(Guid conversationId, Guid userId) => members.JoinedSinceAsync(conversationId, userId);

    public Task<ImmutableDictionary<Guid, long>> GetVersionsAsync(ImmutableArray<Guid> conversationIds) =>
        messages.GetVersionsAsync(conversationIds);

    public Task PingAsync() => messages.PingAsync();

    private async Task RequireMemberAsync(Guid callerId, Guid conversationId)
    {
        if (!await members.IsMemberAsync(conversationId, callerId))
        {
            throw ChatException.NotFound("No such conversation.");
        }
    }
}
