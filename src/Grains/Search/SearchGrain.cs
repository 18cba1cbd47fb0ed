using System.Collections.Immutable;
using Chat.Grains.Accounts;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Orleans.Concurrency;

namespace Chat.Grains.Search;

[StatelessWorker]
[GrainType("search")]
internal sealed class SearchGrain(SearchStore store) : Grain, ISearchGrain
{
    public async Task<SearchPage> SearchMessagesAsync(Guid callerId, MessageSearch search)
    {
        if (string.IsNullOrWhiteSpace(search.Query) || search.Query.Length > SearchLimits.MaxQueryLength || !TextRules.IsCleanText(search.Query))
        {
            throw ChatException.Validation($"q must be 1-{SearchLimits.MaxQueryLength} characters of text.");
        }

        if (search.Limit is < 1 or > SearchLimits.MaxLimit || search.Offset is < 0 or > SearchLimits.MaxOffset)
        {
            throw ChatException.Validation($"limit must be 1-{SearchLimits.MaxLimit}, and results go {SearchLimits.MaxOffset} deep.");
        }

        // Searching one conversation is asking about it: a non-member gets 404, as on every conversation route.
        if (search.ConversationId is { } conversationId && !await GrainFactory.GetGrain<IConversationGrain>(conversationId).IsMemberAsync(callerId))
        {
            throw ChatException.NotFound("No such conversation.");
        }

        return await store.SearchMessagesAsync(callerId, search);
    }

    public Task<ImmutableArray<UserProfile>> SearchUsersAsync(string prefix, int limit)
    {
        if (string.IsNullOrWhiteSpace(prefix) || prefix.Length > 64 || !TextRules.IsCleanText(prefix) || limit is < 1 or > SearchLimits.MaxLimit)
        {
            throw ChatException.Validation($"q must be 1-64 characters and limit 1-{SearchLimits.MaxLimit}.");
        }

        return store.SearchUsersAsync(prefix.Trim(), limit);
    }
}
