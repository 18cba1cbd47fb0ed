using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Chat.Grains.Users;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>Conversation membership and each member's receipts (read/delivered watermarks).</summary>
public sealed class MemberStore(NpgsqlDataSource dataSource, MessageWriter writer)
{
    public async Task<Dictionary<Guid, ConversationMember>> LoadAsync(Guid conversationId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id, role, joined_at, read_seq, delivered_seq, muted, version FROM conversation_members WHERE conversation_id = $1");
        command.Parameters.AddWithValue(conversationId);
        await using var reader = await command.ExecuteReaderAsync();
        var members = new Dictionary<Guid, ConversationMember>();
        while (await reader.ReadAsync())
        {
            var member = new ConversationMember(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetBoolean(5), reader.GetInt64(6));
            members[member.UserId] = member;
        }

        return members;
    }

    /// <summary>
    /// The members of a new conversation, and its head at <paramref name="version"/>, in one transaction. Members
    /// already present are left as they are, so a creation retried after a crash is harmless.
    /// </summary>
    public async Task CreateAsync(Guid conversationId, IEnumerable<ConversationMember> members, long version)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            foreach (var member in members)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, read_seq, delivered_seq, version)
                    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                    """);
                command.Parameters.AddWithValue(conversationId);
                command.Parameters.AddWithValue(member.UserId);
                command.Parameters.AddWithValue(member.Role);
                command.Parameters.AddWithValue(member.JoinedAt);
                command.Parameters.AddWithValue(member.ReadSeq);
                command.Parameters.AddWithValue(member.DeliveredSeq);
                command.Parameters.AddWithValue(version);
                batch.BatchCommands.Add(command);
            }

            batch.BatchCommands.Add(ConversationHeads.Alone(conversationId, version, info: true));
            await batch.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// Adds one member at <paramref name="member"/>'s version, logging who added them, in one statement; false when
    /// the user was already a member.
    /// </summary>
    public async Task<bool> AddAsync(Guid conversationId, ConversationMember member, Guid by)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH added AS (
                INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, read_seq, delivered_seq, version)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                RETURNING 1
            ), logged AS (
                INSERT INTO membership_changes (conversation_id, version, user_id, by_user_id, added)
                SELECT $1, $7, $2, $8, true FROM added
            ), {ConversationHeads.Bump("$1", "$7", "added")}
            SELECT (SELECT count(*) FROM added), {ConversationHeads.Check("added")}
            """);
        var p = command.Parameters;
        p.AddWithValue(conversationId);
        p.AddWithValue(member.UserId);
        p.AddWithValue(member.Role);
        p.AddWithValue(member.JoinedAt);
        p.AddWithValue(member.ReadSeq);
        p.AddWithValue(member.DeliveredSeq);
        p.AddWithValue(member.Version);
        p.AddWithValue(by);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    /// <summary>
    /// The version before the user's latest joining of the conversation: where their connections' events begin
    /// (0 for a member since its creation, whose events begin at the start).
    /// </summary>
    public async Task<long> JoinedSinceAsync(Guid conversationId, Guid userId)
    {
        var rows = await dataSource.QueryAsync(
            "SELECT coalesce(max(version) - 1, 0) FROM membership_changes WHERE conversation_id = $1 AND user_id = $2 AND added",
            r => r.GetInt64(0), conversationId, userId);
        return rows[0];
    }

    /// <summary>Who joined and left after version <paramref name="since"/>, up to <paramref name="upTo"/>, in version order.</summary>
    public Task<ImmutableArray<MembershipChange>> MembershipChangesAsync(Guid conversationId, long since, long upTo) =>
        dataSource.QueryAsync(
            "SELECT version, user_id, by_user_id, added FROM membership_changes WHERE conversation_id = $1 AND version > $2 AND version <= $3 ORDER BY version",
            r => new MembershipChange(r.GetInt64(0), r.GetGuid(1), r.GetGuid(2), r.GetBoolean(3)), conversationId, since, upTo);

    /// <summary>
    /// The user's conversations with a new message or a change to the user's own row after <paramref name="since"/>
    /// (all of them without it), and the database time the answer stands at.
    /// </summary>
    public async Task<(List<SyncEntry> Changed, DateTimeOffset AsOf)> ChangedSinceAsync(Guid userId, DateTimeOffset? since)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT cm.conversation_id, coalesce(last.seq, 0), cm.read_seq, cm.delivered_seq, now()
            FROM conversation_members cm
            LEFT JOIN LATERAL (
                SELECT seq, created_at FROM messages m WHERE m.conversation_id = cm.conversation_id ORDER BY seq DESC LIMIT 1
            ) last ON true
            WHERE cm.user_id = $1
              AND ($2::timestamptz IS NULL OR cm.changed_at > $2 OR cm.joined_at > $2 OR last.created_at > $2)
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(since is { } s ? s : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz;
        await using var reader = await command.ExecuteReaderAsync();
        var changed = new List<SyncEntry>();
        DateTimeOffset? asOf = null;
        while (await reader.ReadAsync())
        {
            changed.Add(new SyncEntry(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            asOf = reader.GetFieldValue<DateTimeOffset>(4);
        }

        return (changed, asOf ?? await NowAsync());
    }

    private async Task<DateTimeOffset> NowAsync() => (await dataSource.QueryTimeAsync("SELECT now()"))!.Value;

    /// <summary>Removes a member at <paramref name="version"/>, logging who removed them, in one statement.</summary>
    public async Task RemoveAsync(Guid conversationId, Guid userId, Guid by, long version)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH removed AS (
                DELETE FROM conversation_members WHERE conversation_id = $1 AND user_id = $2 RETURNING 1
            ), logged AS (
                INSERT INTO membership_changes (conversation_id, version, user_id, by_user_id, added)
                SELECT $1, $4, $2, $3, false FROM removed
            ), {ConversationHeads.Bump("$1", "$4", "removed")}
            SELECT (SELECT count(*) FROM removed), {ConversationHeads.Check("removed")}
            """);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(by);
        command.Parameters.AddWithValue(version);
        await command.ExecuteScalarAsync();
    }

    /// <summary>Sets the roles of several members (an ownership transfer changes two) at one version, in one statement.</summary>
    public async Task SetRolesAsync(Guid conversationId, IReadOnlyCollection<(Guid UserId, string Role)> roles, long version)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH changed AS (
                UPDATE conversation_members m SET role = r.role
                FROM unnest($2::uuid[], $3::text[]) AS r(user_id, role)
                WHERE m.conversation_id = $1 AND m.user_id = r.user_id
                RETURNING 1
            ), {ConversationHeads.Bump("$1", "$4", info: true)}
            SELECT (SELECT count(*) FROM changed), {ConversationHeads.Check()}
            """);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(roles.Select(r => r.UserId).ToArray());
        command.Parameters.AddWithValue(roles.Select(r => r.Role).ToArray());
        command.Parameters.AddWithValue(version);
        await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Marks a change to the conversation's own fields (kept in grain state) at <paramref name="version"/>. It is
    /// written before the fields, so a crash in between leaves a version whose change is a no-op, never a change
    /// without a version.
    /// </summary>
    public async Task BumpInfoAsync(Guid conversationId, long version)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ConversationHeads.Alone(conversationId, version, info: true));
        await batch.ExecuteNonQueryAsync();
    }

    public async Task SetMutedAsync(Guid conversationId, Guid userId, bool muted)
    {
        await using var command = dataSource.CreateCommand("UPDATE conversation_members SET muted = $3 WHERE conversation_id = $1 AND user_id = $2");
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(muted);
        await command.ExecuteNonQueryAsync();
    }

    private static readonly string AdvanceSql = $"""
            WITH moved AS (
                UPDATE conversation_members m
                SET delivered_seq = GREATEST(m.delivered_seq, r.delivered_seq), read_seq = GREATEST(m.read_seq, r.read_seq),
                    changed_at = now(), version = r.version
                FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[]) AS r(user_id, delivered_seq, read_seq, version)
                WHERE m.conversation_id = $1 AND m.user_id = r.user_id
                RETURNING 1
            ), {ConversationHeads.Bump("$1", "$6", "moved", from: "$7")}
            SELECT (SELECT count(*) FROM moved), {ConversationHeads.Check("moved")}
            """;

    /// <summary>
    /// Stores the receipts of one flush, each member at its <c>Version</c>, in one statement in the next commit of the
    /// conversation's writer shard (after the sends queued before it): the head moves from <paramref name="after"/>
    /// to the last version. GREATEST keeps watermarks from ever moving back.
    /// </summary>
    public async Task AdvanceAsync(Guid conversationId, IReadOnlyList<ConversationMember> moved, long after) =>
        await writer.WriteAsync(conversationId, () => new NpgsqlBatchCommand(AdvanceSql)
        {
            Parameters =
            {
                new() { Value = conversationId },
                new() { Value = moved.Select(m => m.UserId).ToArray() },
                new() { Value = moved.Select(m => m.DeliveredSeq).ToArray() },
                new() { Value = moved.Select(m => m.ReadSeq).ToArray() },
                new() { Value = moved.Select(m => m.Version).ToArray() },
                new() { Value = moved[^1].Version },
                new() { Value = after },
            },
        });

    public async Task<bool> IsMemberAsync(Guid conversationId, Guid userId)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND user_id = $2)");
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(userId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public Task<ImmutableArray<Guid>> ConversationIdsAsync(Guid userId) =>
        dataSource.QueryIdsAsync("SELECT conversation_id FROM conversation_members WHERE user_id = $1", userId);

    /// <summary>The user's conversations of at most <paramref name="maxMembers"/> members (each count stops past it).</summary>
    public Task<ImmutableArray<Guid>> ConversationIdsUpToAsync(Guid userId, int maxMembers) =>
        dataSource.QueryIdsAsync("""
            SELECT m.conversation_id FROM conversation_members m
            WHERE m.user_id = $1
              AND (SELECT count(*) FROM (SELECT 1 FROM conversation_members c WHERE c.conversation_id = m.conversation_id LIMIT $2 + 1) AS members) <= $2
            """, userId, maxMembers);

    /// <summary>
    /// A page of the user's conversations ordered by last activity (the newest message, else the join time),
    /// derived from the log at read time so a message never costs a write per member.
    /// </summary>
    public async Task<List<(Guid ConversationId, DateTimeOffset Activity)>> ListByActivityAsync(Guid userId, int limit, (DateTimeOffset Activity, Guid Id)? after)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT conversation_id, activity FROM (
                SELECT m.conversation_id,
                       coalesce((SELECT created_at FROM messages x WHERE x.conversation_id = m.conversation_id
                                 ORDER BY seq DESC LIMIT 1), m.joined_at) AS activity
                FROM conversation_members m
                WHERE m.user_id = $1
            ) c
            WHERE $2::timestamptz IS NULL OR (activity, conversation_id) < ($2, $3)
            ORDER BY activity DESC, conversation_id DESC
            LIMIT $4
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(after is { } a ? a.Activity : DBNull.Value);
        command.Parameters.AddWithValue(after is { } b ? b.Id : Guid.Empty);
        command.Parameters.AddWithValue(limit);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<(Guid, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            page.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return page;
    }
}
