using System.Collections.Immutable;
using System.Text.Json;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>The message log: one row per message, keyed by (conversation_id, seq).</summary>
public sealed class MessageStore(NpgsqlDataSource dataSource)
{
    private const string InsertColumns = "id, conversation_id, seq, sender_id, client_message_id, content_type, content, format, reply_to_seq, created_at, edited_at, deleted_at";

    /// <summary>The message columns, then its attachments as one JSON array in their order.</summary>
    private const string Columns = InsertColumns + """
        , (SELECT coalesce(json_agg(json_build_object(
              'id', a.id, 'conversationId', a.conversation_id, 'uploaderId', a.uploader_id, 'fileName', a.file_name,
              'contentType', a.content_type, 'size', a.size, 'sha256', a.sha256, 'width', a.width, 'height', a.height,
              'hasPreviews', a.has_previews, 'createdAt', a.created_at) ORDER BY a.message_index), '[]'::json)
           FROM attachments a WHERE a.conversation_id = messages.conversation_id AND a.message_seq = messages.seq)
        """;

    private static readonly JsonSerializerOptions AttachmentJson = new(JsonSerializerDefaults.Web);

    /// <summary>The highest seq in the log, 0 when empty: where a conversation resumes after activation.</summary>
    public async Task<long> GetMaxSeqAsync(Guid conversationId)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = $1");
        command.Parameters.AddWithValue(conversationId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Inserts the message and, in the same statement, moves the sender's own watermarks to it (a sender has
    /// read what they wrote). False when a row with that seq or that clientMessageId already exists.
    /// </summary>
    public async Task<bool> TryInsertAsync(ChatMessage message)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH inserted AS (
                INSERT INTO messages ({InsertColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL)
                ON CONFLICT DO NOTHING
                RETURNING seq
            ), receipts AS (
                UPDATE conversation_members m
                SET read_seq = GREATEST(m.read_seq, inserted.seq), delivered_seq = GREATEST(m.delivered_seq, inserted.seq)
                FROM inserted
                WHERE m.conversation_id = $2 AND m.user_id = $4
                RETURNING 1
            ), linked AS (
                UPDATE attachments a SET message_seq = inserted.seq, message_index = array_position($11::uuid[], a.id)
                FROM inserted
                WHERE a.id = ANY($11) AND a.conversation_id = $2 AND a.message_seq IS NULL
                RETURNING 1
            )
            SELECT count(*) FROM inserted
            """);
        var p = command.Parameters;
        p.AddWithValue(message.Id);
        p.AddWithValue(message.ConversationId);
        p.AddWithValue(message.Seq);
        p.AddWithValue(message.SenderId);
        p.AddWithValue(message.ClientMessageId);
        p.AddWithValue(message.ContentType);
        p.AddWithValue((object?)message.Content ?? DBNull.Value);
        p.AddWithValue(message.Format);
        p.AddWithValue(message.ReplyToSeq is { } reply ? reply : DBNull.Value);
        p.AddWithValue(message.CreatedAt);
        p.AddWithValue(message.Attachments.Select(a => a.Id).ToArray());
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    public async Task<ChatMessage?> FindByClientMessageIdAsync(Guid conversationId, Guid senderId, string clientMessageId)
    {
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE conversation_id = $1 AND sender_id = $2 AND client_message_id = $3",
            conversationId, senderId, clientMessageId);
        return rows.FirstOrDefault();
    }

    public async Task<ChatMessage?> FindAsync(Guid conversationId, long seq)
    {
        var rows = await QueryAsync($"SELECT {Columns} FROM messages WHERE conversation_id = $1 AND seq = $2", conversationId, seq);
        return rows.FirstOrDefault();
    }

    /// <summary>Messages with seq in (afterSeq, afterSeq + limit], ascending.</summary>
    public Task<ImmutableArray<ChatMessage>> GetAfterAsync(Guid conversationId, long afterSeq, int limit) =>
        QueryAsync($"SELECT {Columns} FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            conversationId, afterSeq, limit);

    /// <summary>The last <paramref name="limit"/> messages with seq below <paramref name="beforeSeq"/>, ascending.</summary>
    public async Task<ImmutableArray<ChatMessage>> GetBeforeAsync(Guid conversationId, long beforeSeq, int limit)
    {
        var newestFirst = await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
            conversationId, beforeSeq, limit);
        return [.. newestFirst.Reverse()];
    }

    /// <summary>The last seq of each conversation (absent ones: 0).</summary>
    public async Task<ImmutableDictionary<Guid, long>> GetLastSeqsAsync(IReadOnlyCollection<Guid> conversationIds)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.id, coalesce((SELECT max(seq) FROM messages m WHERE m.conversation_id = c.id), 0)
            FROM unnest($1::uuid[]) AS c(id)
            """);
        command.Parameters.AddWithValue(conversationIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var result = ImmutableDictionary.CreateBuilder<Guid, long>();
        while (await reader.ReadAsync())
        {
            result[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return result.ToImmutable();
    }

    public async Task PingAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync();
    }

    private async Task<ImmutableArray<ChatMessage>> QueryAsync(string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var messages = ImmutableArray.CreateBuilder<ChatMessage>();
        while (await reader.ReadAsync())
        {
            messages.Add(Read(reader));
        }

        return messages.ToImmutable();
    }

    private static ChatMessage Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetInt64(2), r.GetGuid(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8),
        r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
        r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
        JsonSerializer.Deserialize<ImmutableArray<AttachmentInfo>>(r.GetString(12), AttachmentJson));
}
