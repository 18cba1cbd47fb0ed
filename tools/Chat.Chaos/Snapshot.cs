using Npgsql;

namespace Chat.Chaos;

/// <summary>The conversations as PostgreSQL holds them, read directly: what every client's copy must equal.</summary>
internal static class Snapshot
{
    public sealed record Conversation(long Version, Dictionary<long, string> Messages, Dictionary<Guid, (long Delivered, long Read)> Members);

    public static async Task<Dictionary<Guid, Conversation>> ReadAsync(string connectionString, IReadOnlyCollection<Guid> ids)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var result = ids.ToDictionary(id => id, _ => new Conversation(0, [], []));
        await using (var command = dataSource.CreateCommand("""
            SELECT m.conversation_id, m.seq, m.content, m.deleted_at IS NOT NULL,
                   coalesce((SELECT string_agg(r.emoji || ':' || r.n, ',' ORDER BY r.emoji COLLATE "C")
                             FROM (SELECT emoji, count(*) AS n FROM message_reactions x
                                   WHERE x.conversation_id = m.conversation_id AND x.seq = m.seq GROUP BY emoji) r), '')
            FROM messages m WHERE m.conversation_id = ANY($1)
            """))
        {
            command.Parameters.AddWithValue(ids.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[reader.GetGuid(0)].Messages[reader.GetInt64(1)] = reader.GetBoolean(3) ? "(deleted)" : $"{reader.GetString(2)}|{reader.GetString(4)}";
            }
        }

        await using (var command = dataSource.CreateCommand(
            "SELECT conversation_id, user_id, delivered_seq, read_seq FROM conversation_members WHERE conversation_id = ANY($1)"))
        {
            command.Parameters.AddWithValue(ids.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[reader.GetGuid(0)].Members[reader.GetGuid(1)] = (reader.GetInt64(2), reader.GetInt64(3));
            }
        }

        await using (var command = dataSource.CreateCommand("SELECT conversation_id, version FROM conversation_heads WHERE conversation_id = ANY($1)"))
        {
            command.Parameters.AddWithValue(ids.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[reader.GetGuid(0)] = result[reader.GetGuid(0)] with { Version = reader.GetInt64(1) };
            }
        }

        return result;
    }

    /// <summary>Which acknowledged sends have no row, or a row that is not theirs: messages lost.</summary>
    public static async Task<int> CountLostAsync(string connectionString, IReadOnlyCollection<(Guid Conversation, long Seq, string ClientMessageId)> acked)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FROM unnest($1::uuid[], $2::bigint[], $3::text[]) AS a(conversation_id, seq, client_message_id)
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = a.conversation_id AND m.seq = a.seq
                              AND m.client_message_id = a.client_message_id)
            """);
        command.Parameters.AddWithValue(acked.Select(a => a.Conversation).ToArray());
        command.Parameters.AddWithValue(acked.Select(a => a.Seq).ToArray());
        command.Parameters.AddWithValue(acked.Select(a => a.ClientMessageId).ToArray());
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
