using System.Security.Cryptography;
using System.Text;
using Chat.Grains.Accounts;
using Chat.Grains.Errors;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>Users, password hashes and refresh-token families.</summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string ProfileColumns = "id, username, display_name, status_message, avatar_attachment_id, created_at";

    public async Task<UserProfile> InsertUserAsync(string username, string displayName, string passwordHash)
    {
        var user = new UserProfile(Guid.CreateVersion7(), username, displayName, "", null, clock.UtcNowForStorage());
        await using var command = dataSource.CreateCommand("""
            INSERT INTO users (id, username, username_key, display_name, password_hash, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username_key) DO NOTHING
            """);
        command.Parameters.AddWithValue(user.Id);
        command.Parameters.AddWithValue(username);
        command.Parameters.AddWithValue(UsernameKey(username));
        command.Parameters.AddWithValue(displayName);
        command.Parameters.AddWithValue(passwordHash);
        command.Parameters.AddWithValue(user.CreatedAt);
        if (await command.ExecuteNonQueryAsync() == 0)
        {
            throw ChatException.Conflict("That username is taken.");
        }

        return user;
    }

    public async Task<UserCredentials?> FindCredentialsAsync(string username)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ProfileColumns}, password_hash FROM users WHERE username_key = $1");
        command.Parameters.AddWithValue(UsernameKey(username));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new UserCredentials(ReadProfile(reader), reader.GetString(6)) : null;
    }

    public async Task<UserProfile?> FindProfileAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ProfileColumns} FROM users WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadProfile(reader) : null;
    }

    public async Task UpdateProfileAsync(Guid userId, string? displayName, string? statusMessage)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE users SET display_name = coalesce($2, display_name), status_message = coalesce($3, status_message) WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue((object?)displayName ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters.AddWithValue((object?)statusMessage ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        await command.ExecuteNonQueryAsync();
    }

    public async Task SetAvatarAsync(Guid userId, Guid? attachmentId)
    {
        await using var command = dataSource.CreateCommand("UPDATE users SET avatar_attachment_id = $2 WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(attachmentId is { } id ? id : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        await command.ExecuteNonQueryAsync();
    }

    public async Task UpdatePasswordHashAsync(Guid userId, string passwordHash)
    {
        await using var command = dataSource.CreateCommand("UPDATE users SET password_hash = $2 WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(passwordHash);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Starts a session: a new refresh-token family holding this one token.</summary>
    public async Task<Guid> InsertSessionAsync(Guid userId, string token, DateTimeOffset expiresAt)
    {
        var familyId = Guid.CreateVersion7();
        var now = clock.UtcNowForStorage();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at, family_started_at) VALUES ($1, $2, $3, $4, $5, $4)
            """);
        command.Parameters.AddWithValue(Hash(token));
        command.Parameters.AddWithValue(familyId);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(expiresAt);
        await command.ExecuteNonQueryAsync();
        return familyId;
    }

    /// <summary>
    /// In one statement: marks a live token spent and stores its successor in the same family, which expires at
    /// <paramref name="nextExpiresAt"/> or when the session reaches <paramref name="maxSessionAge"/>, whichever is
    /// first. A token that exists but is not live (spent, revoked or expired) comes back with <c>Live</c> false so
    /// the caller can revoke its family; an unknown one comes back null.
    /// </summary>
    public async Task<(Guid UserId, Guid FamilyId, bool Live)?> RotateRefreshTokenAsync(string token, string nextToken, DateTimeOffset nextExpiresAt, TimeSpan maxSessionAge)
    {
        await using var command = dataSource.CreateCommand("""
            WITH spent AS (
                UPDATE refresh_tokens SET spent_at = $2
                WHERE token_hash = $1 AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > $2
                RETURNING user_id, family_id, family_started_at
            ), issued AS (
                INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at, family_started_at)
                SELECT $3, family_id, user_id, $2, least($4::timestamptz, family_started_at + $5::interval), family_started_at FROM spent
                RETURNING user_id, family_id
            )
            SELECT user_id, family_id, true FROM issued
            UNION ALL
            SELECT user_id, family_id, false FROM refresh_tokens WHERE token_hash = $1 AND NOT EXISTS (SELECT 1 FROM spent)
            """);
        command.Parameters.AddWithValue(Hash(token));
        command.Parameters.AddWithValue(clock.UtcNowForStorage());
        command.Parameters.AddWithValue(Hash(nextToken));
        command.Parameters.AddWithValue(nextExpiresAt);
        command.Parameters.AddWithValue(maxSessionAge);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(0), reader.GetGuid(1), reader.GetBoolean(2)) : null;
    }

    /// <summary>Whether a session still holds a token that can be spent (not revoked, not past its age).</summary>
    public async Task<bool> IsSessionLiveAsync(Guid familyId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > $2)");
        command.Parameters.AddWithValue(familyId);
        command.Parameters.AddWithValue(clock.UtcNowForStorage());
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Revokes a whole family: after a reuse, every token descended from the stolen one dies.</summary>
    public async Task RevokeFamilyAsync(Guid familyId)
    {
        await using var command = dataSource.CreateCommand("UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL");
        command.Parameters.AddWithValue(familyId);
        command.Parameters.AddWithValue(clock.UtcNowForStorage());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The session (user and family) a token belongs to, whatever its state, or null.</summary>
    public async Task<(Guid UserId, Guid FamilyId)?> FindSessionAsync(string token)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1");
        command.Parameters.AddWithValue(Hash(token));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(0), reader.GetGuid(1)) : null;
    }

    /// <summary>Which of these ids belong to registered users.</summary>
    public async Task<IReadOnlyList<Guid>> ExistingUsersAsync(IReadOnlyCollection<Guid> userIds) =>
        await dataSource.QueryIdsAsync("SELECT id FROM users WHERE id = ANY($1)", userIds.ToArray());

    /// <summary>The ids of the users with these usernames (case-insensitive); unknown names are left out.</summary>
    public async Task<IReadOnlyList<Guid>> FindIdsByUsernameAsync(IReadOnlyCollection<string> usernames) =>
        await dataSource.QueryIdsAsync("SELECT id FROM users WHERE username_key = ANY($1)", (object)usernames.Select(UsernameKey).ToArray()); // one text[] parameter, not params

    /// <summary>Profiles matching a WHERE clause (with its ORDER BY and LIMIT) of the caller's, parameters in order.</summary>
    internal Task<System.Collections.Immutable.ImmutableArray<UserProfile>> FindProfilesAsync(string where, params object[] parameters) =>
        dataSource.QueryAsync($"SELECT {ProfileColumns} FROM users WHERE {where}", ReadProfile, parameters);

    internal static string UsernameKey(string username) => username.ToLowerInvariant();

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static UserProfile ReadProfile(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetGuid(4), r.GetFieldValue<DateTimeOffset>(5));
}
