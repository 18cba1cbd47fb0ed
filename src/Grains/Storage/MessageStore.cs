using System.Collections.Immutable;
using System.Text.Json;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>The message log: one row per message, keyed by (conversation_id, seq). New messages are group-committed by <see cref="MessageWriter"/>.</summary>
public sealed class MessageStore(NpgsqlDataSource dataSource, MessageWriter writer)
{
    private const string InsertColumns =
        "id, conversation_id, seq, sender_id, client_message_id, content_type, content, format, reply_to_seq, created_at, " +
        "edited_at, deleted_at, mentions, forwarded_from_id, forwarded_from_seq, expires_at, version, created_version";

    /// <summary>The message columns, then its attachments and its reactions as JSON arrays.</summary>
    private const string Columns = InsertColumns + """
        , (SELECT coalesce(json_agg(json_build_object(
              'id', a.id, 'conversationId', a.conversation_id, 'uploaderId', a.uploader_id, 'fileName', a.file_name,
              'contentType', a.content_type, 'size', a.size, 'sha256', a.sha256, 'width', a.width, 'height', a.height,
              'hasPreviews', a.has_previews, 'createdAt', a.created_at) ORDER BY a.message_index), '[]'::json)
           FROM attachments a
           WHERE a.conversation_id = messages.conversation_id AND a.message_seq = messages.seq AND a.status = 'stored')
        , (SELECT coalesce(json_agg(json_build_object('emoji', r.emoji, 'count', r.count, 'userIds', r.user_ids) ORDER BY r.first), '[]'::json)
           FROM (SELECT emoji, count(*) AS count, array_agg(user_id ORDER BY created_at) AS user_ids, min(created_at) AS first
                 FROM message_reactions
                 WHERE conversation_id = messages.conversation_id AND seq = messages.seq
                 GROUP BY emoji) r)
        """;

    /// <summary>Leaves out what the viewer deleted for themself (parameter $1 is the viewer, or NULL for everything).</summary>
    private const string VisibleTo = """
        AND ($1::uuid IS NULL OR NOT EXISTS (
            SELECT 1 FROM hidden_messages h WHERE h.user_id = $1 AND h.conversation_id = messages.conversation_id AND h.seq = messages.seq))
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The highest seq in the log, 0 when empty: where a conversation resumes after activation.</summary>
    public async Task<long> GetMaxSeqAsync(Guid conversationId)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = $1");
        command.Parameters.AddWithValue(conversationId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Inserts the message at its version and, in the same statement, moves the conversation's head and the
    /// sender's own watermarks to it (a sender has read what they wrote), links its attachments, and records one outbox row for the members in
    /// <paramref name="notify"/> (none when empty). False when a row with that seq or clientMessageId already exists.
    /// </summary>
    public async Task<bool> TryInsertAsync(ChatMessage message, Guid[] notify) =>
        (long)(await writer.WriteAsync(message.ConversationId, () => InsertCommand(message, notify)))! == 1;

    /// <summary>A send's statement: built once, so each send neither allocates it nor makes Npgsql hash a new string.</summary>
    private static readonly string InsertSql = $"""
            WITH inserted AS (
                INSERT INTO messages ({InsertColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, $12, $13, $14, $15, $17, $17)
                ON CONFLICT DO NOTHING
                RETURNING seq
            ), {ConversationHeads.Bump("$2", "$17", "inserted")}, receipts AS (
                UPDATE conversation_members m
                SET read_seq = GREATEST(m.read_seq, inserted.seq), delivered_seq = GREATEST(m.delivered_seq, inserted.seq), version = $17
                FROM inserted
                WHERE m.conversation_id = $2 AND m.user_id = $4
                RETURNING 1
            ), outbox AS (
                INSERT INTO notification_outbox (message_id, conversation_id, seq, recipients, created_at)
                SELECT $1, $2, inserted.seq, $16, $10 FROM inserted WHERE cardinality($16::uuid[]) > 0
            ), linked AS (
                UPDATE attachments a SET message_seq = inserted.seq, message_index = array_position($11::uuid[], a.id)
                FROM inserted
                WHERE a.id = ANY($11) AND a.conversation_id = $2 AND a.message_seq IS NULL
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM inserted), {ConversationHeads.Check("inserted")}
            """;

    private static NpgsqlBatchCommand InsertCommand(ChatMessage message, Guid[] notify)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
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
        p.AddWithValue(message.Mentions.ToArray());
        p.AddWithValue(message.ForwardedFrom is { } from ? from.ConversationId : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        p.AddWithValue(message.ForwardedFrom is { } source ? source.Seq : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        p.AddWithValue(message.ExpiresAt is { } expires ? expires : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz;
        p.AddWithValue(notify);
        p.AddWithValue(message.Version);
        return command;
    }

    public async Task<ChatMessage?> FindByClientMessageIdAsync(Guid conversationId, Guid senderId, string clientMessageId)
    {
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE conversation_id = $2 AND sender_id = $3 AND client_message_id = $4",
            viewer: null, conversationId, senderId, clientMessageId);
        return rows.FirstOrDefault();
    }

    /// <summary>One message; null when absent or hidden from <paramref name="viewer"/>.</summary>
    public async Task<ChatMessage?> FindAsync(Guid conversationId, long seq, Guid? viewer = null)
    {
        var rows = await QueryAsync($"SELECT {Columns} FROM messages WHERE conversation_id = $2 AND seq = $3 {VisibleTo}",
            viewer, conversationId, seq);
        return rows.FirstOrDefault();
    }

    /// <summary>Messages with seq in (afterSeq, afterSeq + limit], ascending, leaving out those hidden from the viewer.</summary>
    public Task<ImmutableArray<ChatMessage>> GetAfterAsync(Guid conversationId, long afterSeq, int limit, Guid? viewer = null) =>
        QueryAsync($"SELECT {Columns} FROM messages WHERE conversation_id = $2 AND seq > $3 {VisibleTo} ORDER BY seq LIMIT $4",
            viewer, conversationId, afterSeq, limit);

    /// <summary>The last <paramref name="limit"/> messages with seq below <paramref name="beforeSeq"/>, ascending.</summary>
    public async Task<ImmutableArray<ChatMessage>> GetBeforeAsync(Guid conversationId, long beforeSeq, int limit, Guid? viewer = null)
    {
        var newestFirst = await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE conversation_id = $2 AND seq < $3 {VisibleTo} ORDER BY seq DESC LIMIT $4",
            viewer, conversationId, beforeSeq, limit);
        return [.. newestFirst.Reverse()];
    }

    /// <summary>
    /// Replaces the content of a live message, keeping the previous version, in one statement. Null when the
    /// message is gone or was deleted meanwhile.
    /// </summary>
    public async Task<ChatMessage?> EditAsync(Guid conversationId, long seq, string content, Guid[] mentions, DateTimeOffset editedAt, long version)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH previous AS (
                SELECT content FROM messages WHERE conversation_id = $1 AND seq = $2 AND deleted_at IS NULL
            ), kept AS (
                INSERT INTO message_edits (conversation_id, seq, edited_at, previous_content)
                SELECT $1, $2, $4, content FROM previous
            ), edited AS (
                UPDATE messages SET content = $3, edited_at = $4, mentions = $5, version = $6
                WHERE conversation_id = $1 AND seq = $2 AND deleted_at IS NULL
                RETURNING 1
            ), {ConversationHeads.Bump("$1", "$6", "edited")}
            SELECT (SELECT count(*) FROM edited), {ConversationHeads.Check("edited")}
            """);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue(content);
        command.Parameters.AddWithValue(editedAt);
        command.Parameters.AddWithValue(mentions);
        command.Parameters.AddWithValue(version);
        return (long)(await command.ExecuteScalarAsync())! == 1 ? await FindAsync(conversationId, seq) : null;
    }

    /// <summary>
    /// Turns a message into a tombstone: content, mentions, reactions and edit history go; the seq stays. Returns
    /// the ids of the attachments it had, for their bytes to be deleted; null if it was already a tombstone.
    /// </summary>
    public async Task<Guid[]?> TombstoneAsync(Guid conversationId, long seq, DateTimeOffset deletedAt, long version)
    {
        await using var command = dataSource.CreateCommand($$"""
            WITH gone AS (
                UPDATE messages SET content = NULL, deleted_at = $3, mentions = '{}', expires_at = NULL, version = $4
                WHERE conversation_id = $1 AND seq = $2 AND deleted_at IS NULL
                RETURNING seq
            ), {{ConversationHeads.Bump("$1", "$4", "gone")}}, reactions AS (
                DELETE FROM message_reactions r USING gone WHERE r.conversation_id = $1 AND r.seq = gone.seq
            ), edits AS (
                DELETE FROM message_edits e USING gone WHERE e.conversation_id = $1 AND e.seq = gone.seq
            )
            SELECT (SELECT count(*) FROM gone),
                   {{ConversationHeads.Check("gone")}},
                   coalesce((SELECT array_agg(a.id) FROM attachments a, gone
                             WHERE a.conversation_id = $1 AND a.message_seq = gone.seq), '{}')
            """);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue(deletedAt);
        command.Parameters.AddWithValue(version);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) == 1 ? reader.GetFieldValue<Guid[]>(2) : null;
    }

    public async Task HideAsync(Guid userId, Guid conversationId, long seq)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO hidden_messages (user_id, conversation_id, seq) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(seq);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Adds or removes one user's reaction, moving the message and the conversation to <paramref name="version"/>;
    /// true when that changed anything.
    /// </summary>
    public async Task<bool> SetReactionAsync(Guid conversationId, long seq, Guid userId, string emoji, bool add, DateTimeOffset at, long version)
    {
        var change = add
            ? """
              INSERT INTO message_reactions (conversation_id, seq, user_id, emoji, created_at)
              SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM messages WHERE conversation_id = $1 AND seq = $2 AND deleted_at IS NULL)
              ON CONFLICT DO NOTHING
              RETURNING 1
              """
            : "DELETE FROM message_reactions WHERE conversation_id = $1 AND seq = $2 AND user_id = $3 AND emoji = $4 AND $5::timestamptz IS NOT NULL RETURNING 1";
        await using var command = dataSource.CreateCommand($"""
            WITH changed AS ({change}
            ), touched AS (
                UPDATE messages SET version = $6 FROM (SELECT 1 FROM changed LIMIT 1) c WHERE conversation_id = $1 AND seq = $2
            ), {ConversationHeads.Bump("$1", "$6", "changed")}
            SELECT (SELECT count(*) FROM changed), {ConversationHeads.Check("changed")}
            """);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(emoji);
        command.Parameters.AddWithValue(at);
        command.Parameters.AddWithValue(version);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    /// <summary>
    /// Messages created or changed after version <paramref name="since"/>, ascending by version, as they are now;
    /// those hidden from <paramref name="viewer"/> are left out.
    /// </summary>
    public Task<ImmutableArray<ChatMessage>> ChangedSinceAsync(Guid conversationId, long since, int limit, Guid? viewer) =>
        QueryAsync($"SELECT {Columns} FROM messages WHERE conversation_id = $2 AND version > $3 {VisibleTo} ORDER BY version LIMIT $4",
            viewer, conversationId, since, limit);

    /// <summary>The latest version of the conversation, and of its own fields and roles (0, 0 before any change).</summary>
    public async Task<(long Version, long InfoVersion)> GetVersionAsync(Guid conversationId)
    {
        var rows = await dataSource.QueryAsync("SELECT version, info_version FROM conversation_heads WHERE conversation_id = $1",
            r => (r.GetInt64(0), r.GetInt64(1)), conversationId);
        return rows.IsEmpty ? (0, 0) : rows[0];
    }

    public async Task<long> CountEditsAsync(Guid conversationId, long seq)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM message_edits WHERE conversation_id = $1 AND seq = $2");
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(seq);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<ImmutableArray<MessageVersion>> GetEditsAsync(Guid conversationId, long seq)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT previous_content, edited_at FROM message_edits WHERE conversation_id = $1 AND seq = $2 ORDER BY edited_at");
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(seq);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = ImmutableArray.CreateBuilder<MessageVersion>();
        while (await reader.ReadAsync())
        {
            versions.Add(new MessageVersion(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return versions.ToImmutable();
    }

    /// <summary>When the next live message of the conversation expires, if any does.</summary>
    public Task<DateTimeOffset?> NextExpiryAsync(Guid conversationId) => dataSource.QueryTimeAsync(
        "SELECT min(expires_at) FROM messages WHERE conversation_id = $1 AND expires_at IS NOT NULL AND deleted_at IS NULL", conversationId);

    /// <summary>The seqs of live messages whose time is up.</summary>
    public async Task<List<long>> ExpiredAsync(Guid conversationId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT seq FROM messages WHERE conversation_id = $1 AND expires_at <= $2 AND deleted_at IS NULL ORDER BY seq");
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(now);
        await using var reader = await command.ExecuteReaderAsync();
        var seqs = new List<long>();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    /// <summary>Unread messages that mention the user, per conversation: those after the user's read watermark.</summary>
    public async Task<long> CountUnreadMentionsAsync(Guid conversationId, Guid userId, long readSeq)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM messages WHERE conversation_id = $1 AND seq > $3 AND mentions @> ARRAY[$2::uuid] AND deleted_at IS NULL");
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(readSeq);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The latest version of each conversation (absent ones: 0): one query for a frontend's lease probe.</summary>
    public async Task<ImmutableDictionary<Guid, long>> GetVersionsAsync(IReadOnlyCollection<Guid> conversationIds)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.id, coalesce(h.version, 0)
            FROM unnest($1::uuid[]) AS c(id) LEFT JOIN conversation_heads h ON h.conversation_id = c.id
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

    private Task<ImmutableArray<ChatMessage>> QueryAsync(string sql, Guid? viewer, params object[] parameters) =>
        dataSource.QueryAsync(sql, Read,
            [new NpgsqlParameter { Value = viewer is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid }, .. parameters]);

    private static ChatMessage Read(NpgsqlDataReader r)
    {
        var deletedAt = r.IsDBNull(11) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(11);
        return new ChatMessage(
            r.GetGuid(0), r.GetGuid(1), r.GetInt64(2), r.GetGuid(3), r.GetString(4), r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8),
            r.GetFieldValue<DateTimeOffset>(9),
            r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
            deletedAt,
            deletedAt is null ? JsonSerializer.Deserialize<ImmutableArray<AttachmentInfo>>(r.GetString(18), Json) : [],
            [.. r.GetFieldValue<Guid[]>(12)],
            r.IsDBNull(13) ? null : new MessageRef(r.GetGuid(13), r.GetInt64(14)),
            JsonSerializer.Deserialize<ImmutableArray<Reaction>>(r.GetString(19), Json),
            r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15),
            r.GetInt64(16),
            r.GetInt64(17));
    }
}
