using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>Scheduled messages, written only by their conversation's grain.</summary>
public sealed class ScheduleStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, conversation_id, sender_id, client_message_id, content_type, content, format, reply_to_seq, attachment_ids, scheduled_for, status, seq, error";

    /// <summary>Stores the message; the same sender's same clientMessageId returns what was stored the first time.</summary>
    public async Task<ScheduledMessage> InsertAsync(ScheduledMessage message, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO scheduled_messages (id, conversation_id, sender_id, client_message_id, content_type, content, format, reply_to_seq,
                                            attachment_ids, scheduled_for, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (conversation_id, sender_id, client_message_id) DO NOTHING
            """);
        var r = message.Request;
        var p = command.Parameters;
        p.AddWithValue(message.Id);
        p.AddWithValue(message.ConversationId);
        p.AddWithValue(message.SenderId);
        p.AddWithValue(r.ClientMessageId);
        p.AddWithValue(r.ContentType);
        p.AddWithValue(r.Content);
        p.AddWithValue(r.Format);
        p.AddWithValue(r.ReplyToSeq is { } reply ? reply : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        p.AddWithValue(r.AttachmentIds.IsDefault ? [] : r.AttachmentIds.ToArray());
        p.AddWithValue(message.ScheduledFor);
        p.AddWithValue(now);
        await command.ExecuteNonQueryAsync();
        var stored = await QueryAsync($"SELECT {Columns} FROM scheduled_messages WHERE conversation_id = $1 AND sender_id = $2 AND client_message_id = $3",
            message.ConversationId, message.SenderId, r.ClientMessageId);
        return stored[0];
    }

    /// <summary>The sender's messages not posted yet: pending ones, and failed ones so the sender learns why.</summary>
    public Task<ImmutableArray<ScheduledMessage>> ListUnsentAsync(Guid conversationId, Guid senderId) =>
        QueryAsync($"SELECT {Columns} FROM scheduled_messages WHERE conversation_id = $1 AND sender_id = $2 AND status IN ('pending', 'failed') ORDER BY scheduled_for",
            conversationId, senderId);

    public async Task<bool> CancelAsync(Guid conversationId, Guid senderId, Guid id)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE scheduled_messages SET status = 'cancelled' WHERE id = $1 AND conversation_id = $2 AND sender_id = $3 AND status = 'pending'");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(senderId);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public Task<ImmutableArray<ScheduledMessage>> DueAsync(Guid conversationId, DateTimeOffset now) =>
        QueryAsync($"SELECT {Columns} FROM scheduled_messages WHERE conversation_id = $1 AND status = 'pending' AND scheduled_for <= $2 ORDER BY scheduled_for, id",
            conversationId, now);

    public Task<DateTimeOffset?> NextDueAsync(Guid conversationId) => dataSource.QueryTimeAsync(
        "SELECT min(scheduled_for) FROM scheduled_messages WHERE conversation_id = $1 AND status = 'pending'", conversationId);

    public async Task FinishAsync(Guid id, long? seq, string? error)
    {
        await using var command = dataSource.CreateCommand("UPDATE scheduled_messages SET status = $2, seq = $3, error = $4 WHERE id = $1");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(seq is null ? ScheduledStates.Failed : ScheduledStates.Sent);
        command.Parameters.AddWithValue(seq is { } s ? s : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        command.Parameters.AddWithValue((object?)error ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        await command.ExecuteNonQueryAsync();
    }

    private Task<ImmutableArray<ScheduledMessage>> QueryAsync(string sql, params object[] parameters) =>
        dataSource.QueryAsync(sql, Read, parameters);

    private static ScheduledMessage Read(NpgsqlDataReader r)
    {
        var request = new SendMessageRequest(r.GetString(3), r.GetString(5), r.GetString(4), r.GetString(6),
            r.IsDBNull(7) ? null : r.GetInt64(7), [.. r.GetFieldValue<Guid[]>(8)]);
        return new ScheduledMessage(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), request, r.GetFieldValue<DateTimeOffset>(9),
            r.GetString(10), r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? null : r.GetString(12));
    }
}
