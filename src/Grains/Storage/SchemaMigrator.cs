using System.Reflection;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>
/// Applies the schema at start-up, before the silo joins: the Orleans provider scripts (idempotent, re-run every
/// time so query text stays current) and then each numbered chat migration not yet recorded, once, in order.
/// An advisory lock keeps silos that start together from racing.
/// </summary>
public static class SchemaMigrator
{
    private const long LockKey = 0x43_68_61_74; // "Chat"
    private static readonly Assembly Assembly = typeof(SchemaMigrator).Assembly;

    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            foreach (var (_, sql) in Scripts("Schema/Orleans/"))
            {
                await ExecuteAsync(connection, null, sql, cancellationToken);
            }

            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations
                (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            foreach (var (version, sql) in Scripts("Schema/Migrations/").Where(s => !applied.Contains(s.Name)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@v)", connection, transaction);
                record.Parameters.AddWithValue("v", version);
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>The embedded scripts under a prefix, ordered by name (their numbers).</summary>
    internal static IEnumerable<(string Name, string Sql)> Scripts(string prefix)
    {
        foreach (var resource in Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(Assembly.GetManifestResourceStream(resource)!);
            yield return (Path.GetFileNameWithoutExtension(resource), reader.ReadToEnd());
        }
    }

    private static async Task<HashSet<string>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
