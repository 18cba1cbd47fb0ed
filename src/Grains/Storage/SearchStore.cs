using System.Collections.Immutable;
using Chat.Grains.Search;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>Full-text search over messages and prefix search over users.</summary>
public sealed class SearchStore(NpgsqlDataSource dataSource, AccountStore accounts)
{
    /// <summary>
    /// Ranked hits in the caller's conversations. The text is HTML-escaped before <c>ts_headline</c> marks the
    /// matches, so the only markup in a snippet is <c>&lt;mark&gt;</c>.
    /// </summary>
    public async Task<SearchPage> SearchMessagesAsync(Guid callerId, MessageSearch search)
    {
        await using var command = dataSource.CreateCommand("""
            WITH q AS (SELECT websearch_to_tsquery('simple', $2) AS query)
            SELECT m.conversation_id, m.seq, m.sender_id, m.created_at,
                   ts_headline('simple', replace(replace(replace(m.content, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), q.query,
                               'StartSel=<mark>, StopSel=</mark>, MinWords=8, MaxWords=24, MaxFragments=2, FragmentDelimiter=" … "')
            FROM q, messages m
            JOIN conversation_members cm ON cm.conversation_id = m.conversation_id AND cm.user_id = $1
            WHERE m.search @@ q.query
              AND m.deleted_at IS NULL AND m.content_type <> 'system'
              AND ($3::uuid IS NULL OR m.conversation_id = $3)
              AND NOT EXISTS (SELECT 1 FROM hidden_messages h
                              WHERE h.user_id = $1 AND h.conversation_id = m.conversation_id AND h.seq = m.seq)
            ORDER BY ts_rank_cd(m.search, q.query) DESC, m.created_at DESC, m.conversation_id, m.seq
            LIMIT $4 OFFSET $5
            """);
        command.Parameters.AddWithValue(callerId);
        command.Parameters.AddWithValue(search.Query);
        command.Parameters.AddWithValue(search.ConversationId is { } id ? id : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        command.Parameters.AddWithValue(search.Limit + 1);
        command.Parameters.AddWithValue(search.Offset);
        await using var reader = await command.ExecuteReaderAsync();
        var hits = ImmutableArray.CreateBuilder<SearchHit>();
        while (await reader.ReadAsync())
        {
            hits.Add(new SearchHit(reader.GetGuid(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
        }

        var hasMore = hits.Count > search.Limit;
        return new SearchPage(hasMore ? hits.ToImmutable()[..search.Limit] : hits.ToImmutable(), hasMore);
    }

    /// <summary>Exact username first, then username prefixes, then display-name prefixes; LIKE wildcards are escaped.</summary>
    public Task<ImmutableArray<Accounts.UserProfile>> SearchUsersAsync(string prefix, int limit)
    {
        var pattern = prefix.ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        return accounts.FindProfilesAsync("""
            (username_key LIKE $1 OR lower(display_name) LIKE $1)
            ORDER BY username_key = $2 DESC, username_key LIKE $1 DESC, username_key
            LIMIT $3
            """, pattern, prefix.ToLowerInvariant(), limit);
    }
}
