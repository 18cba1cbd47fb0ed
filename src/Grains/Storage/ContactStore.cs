using System.Collections.Immutable;
using Chat.Grains.Users;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>Contacts, blocks and reports. Each user's grain writes the rows whose <c>user_id</c> is that user.</summary>
public sealed class ContactStore(NpgsqlDataSource dataSource)
{
    public async Task<Contact?> FindAsync(Guid userId, Guid otherId)
    {
        var contacts = await QueryAsync("SELECT contact_id, state, since FROM contacts WHERE user_id = $1 AND contact_id = $2", userId, otherId);
        return contacts.FirstOrDefault();
    }

    public Task<ImmutableArray<Contact>> ListAsync(Guid userId) =>
        QueryAsync("SELECT contact_id, state, since FROM contacts WHERE user_id = $1 ORDER BY since DESC", userId);

    /// <summary>Sets this side's state (null deletes the row).</summary>
    public async Task SetAsync(Guid userId, Guid otherId, string? state, DateTimeOffset since)
    {
        await using var command = dataSource.CreateCommand(state is null
            ? "DELETE FROM contacts WHERE user_id = $1 AND contact_id = $2 AND $3::text IS NULL AND $4::timestamptz IS NOT NULL"
            : """
              INSERT INTO contacts (user_id, contact_id, state, since) VALUES ($1, $2, $3, $4)
              ON CONFLICT (user_id, contact_id) DO UPDATE SET state = excluded.state, since = excluded.since
              """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(otherId);
        command.Parameters.AddWithValue((object?)state ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters.AddWithValue(since);
        await command.ExecuteNonQueryAsync();
    }

    public async Task SetBlockAsync(Guid userId, Guid otherId, bool blocked, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand(blocked
            ? "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            : "DELETE FROM blocks WHERE user_id = $1 AND blocked_id = $2 AND $3::timestamptz IS NOT NULL");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(otherId);
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync();
    }

    public Task<ImmutableArray<Guid>> ListBlocksAsync(Guid userId) =>
        dataSource.QueryIdsAsync("SELECT blocked_id FROM blocks WHERE user_id = $1 ORDER BY created_at DESC", userId);

    /// <summary>Whether either user blocked the other.</summary>
    public async Task<bool> EitherBlockedAsync(Guid a, Guid b)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT 1 FROM blocks WHERE (user_id = $1 AND blocked_id = $2) OR (user_id = $2 AND blocked_id = $1) LIMIT 1");
        command.Parameters.AddWithValue(a);
        command.Parameters.AddWithValue(b);
        return await command.ExecuteScalarAsync() is not null;
    }

    public async Task<GroupAddPolicy> GetGroupAddPolicyAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("SELECT allow_group_adds_from FROM users WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        return await command.ExecuteScalarAsync() is "contacts" ? GroupAddPolicy.Contacts : GroupAddPolicy.Anyone;
    }

    public async Task SetGroupAddPolicyAsync(Guid userId, GroupAddPolicy policy)
    {
        await using var command = dataSource.CreateCommand("UPDATE users SET allow_group_adds_from = $2 WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(policy == GroupAddPolicy.Contacts ? "contacts" : "anyone");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Which of <paramref name="candidates"/> refuse to be added to a group by <paramref name="adderId"/>: those who
    /// blocked the adder, or whom the adder blocked, and those who take additions from contacts only when the adder
    /// is not an accepted contact of theirs.
    /// </summary>
    public async Task<ImmutableArray<Guid>> RefusingAdditionByAsync(Guid adderId, IReadOnlyCollection<Guid> candidates) =>
        candidates.Count == 0 ? [] : await dataSource.QueryIdsAsync("""
            SELECT u.id FROM users u
            WHERE u.id = ANY($2) AND (
                EXISTS (SELECT 1 FROM blocks b WHERE (b.user_id = u.id AND b.blocked_id = $1) OR (b.user_id = $1 AND b.blocked_id = u.id))
                OR (u.allow_group_adds_from = 'contacts' AND NOT EXISTS (
                    SELECT 1 FROM contacts c WHERE c.user_id = u.id AND c.contact_id = $1 AND c.state = 'accepted')))
            """, adderId, candidates.ToArray());

    public async Task InsertReportAsync(Report report)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO reports (id, reporter_id, user_id, conversation_id, seq, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """);
        var p = command.Parameters;
        p.AddWithValue(report.Id);
        p.AddWithValue(report.ReporterId);
        p.AddWithValue(report.UserId is { } u ? u : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        p.AddWithValue(report.ConversationId is { } c ? c : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        p.AddWithValue(report.Seq is { } s ? s : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        p.AddWithValue(report.Reason);
        p.AddWithValue(report.CreatedAt);
        await command.ExecuteNonQueryAsync();
    }

    private Task<ImmutableArray<Contact>> QueryAsync(string sql, params object[] parameters) =>
        dataSource.QueryAsync(sql, r => new Contact(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2)), parameters);
}
