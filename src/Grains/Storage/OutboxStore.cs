using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>The notification outbox rows, read and updated by the dispatcher (inserted with their message).</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    public sealed record Entry(long Id, Guid MessageId, Guid ConversationId, long Seq, Guid[] Recipients, int Attempts);

    public async Task<List<Entry>> DueAsync(int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, message_id, conversation_id, seq, recipients, attempts FROM notification_outbox
            WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY id LIMIT $1
            """);
        command.Parameters.AddWithValue(limit);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<Entry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new Entry(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetFieldValue<Guid[]>(4), reader.GetInt32(5)));
        }

        return entries;
    }

    /// <summary>Ends a row: delivered, skipped (nobody was offline, or the message went), or failed for good.</summary>
    public async Task FinishAsync(long id, string status, string? error)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE notification_outbox SET status = $2, last_error = $3, attempts = attempts + 1, done_at = now() WHERE id = $1");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(status);
        command.Parameters.AddWithValue((object?)error ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        await command.ExecuteNonQueryAsync();
    }

    public async Task RetryLaterAsync(long id, TimeSpan delay, string error)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = now() + $2, last_error = $3 WHERE id = $1");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(delay);
        command.Parameters.AddWithValue(error);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// How long until the earliest pending retry is due, by the database's clock (the one <see cref="DueAsync"/>
    /// compares with); zero when one is due now, null when none is pending.
    /// </summary>
    public async Task<TimeSpan?> NextRetryInAsync()
    {
        await using var command = dataSource.CreateCommand(
            "SELECT greatest(min(next_attempt_at) - now(), interval '0') FROM notification_outbox WHERE status = 'pending'");
        var value = await command.ExecuteScalarAsync();
        return value is TimeSpan wait ? wait : null;
    }

    /// <summary>
    /// Rows waiting for delivery or a retry, for the metrics scrape (synchronous: an observable instrument's callback
    /// cannot await; the partial index on pending rows keeps it cheap).
    /// </summary>
    public long PendingCount()
    {
        using var command = dataSource.CreateCommand("SELECT count(*) FROM notification_outbox WHERE status = 'pending'");
        return (long)command.ExecuteScalar()!;
    }
}
