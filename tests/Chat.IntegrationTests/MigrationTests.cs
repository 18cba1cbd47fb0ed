using Chat.Grains.Storage;
using Chat.Testing;
using Npgsql;

namespace Chat.IntegrationTests;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    private static readonly string[] ProviderQueryKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task ApplyingTheSchemaTwiceIsCleanAndRecordsEachMigrationOnce()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();

        await SchemaMigrator.ApplyAsync(connectionString);
        await SchemaMigrator.ApplyAsync(connectionString);

        var migrations = SchemaMigrator.Scripts("Schema/Migrations/").Select(s => s.Name).ToList();
        Assert.NotEmpty(migrations);
        Assert.Equal(migrations, await ColumnAsync(connectionString, "SELECT version FROM schema_migrations ORDER BY version"));
        Assert.Equal(ProviderQueryKeys.Order(), await ColumnAsync(connectionString, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\""));
        Assert.Contains("messages", await ColumnAsync(connectionString, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"));
    }

    /// <summary>
    /// The database role of k8s/ (and docs/OPERATIONS.md), made by its own script: no superuser, owner of its database
    /// only. Silos migrate the schema as that role.
    /// </summary>
    [Fact]
    public async Task TheLeastPrivilegeRoleOfTheManifestsCanApplyTheSchema()
    {
        var script = new System.Diagnostics.ProcessStartInfo("sh", [Path.Combine(RepoPaths.Root, "k8s", "overlays", "dev", "create-chat-role.sh")])
        {
            Environment = { ["POSTGRES_USER"] = "postgres", ["CHAT_PASSWORD"] = "unused-with-trust-auth", ["PGHOST"] = "127.0.0.1", ["PGPORT"] = postgres.Server.Port.ToString() },
            RedirectStandardError = true,
        };
        using (var create = System.Diagnostics.Process.Start(script)!)
        {
            var errors = await create.StandardError.ReadToEndAsync();
            await create.WaitForExitAsync();
            Assert.True(create.ExitCode == 0, errors);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString("chat")) { Username = "chat" }.ConnectionString;
        await SchemaMigrator.ApplyAsync(connectionString);

        Assert.Equal(["false"], await ColumnAsync(connectionString, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(["chat"], await ColumnAsync(connectionString, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task ConcurrentStartUpsApplyTheSchemaOnce()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SchemaMigrator.ApplyAsync(connectionString)));

        Assert.Equal(SchemaMigrator.Scripts("Schema/Migrations/").Count(), (await ColumnAsync(connectionString, "SELECT version FROM schema_migrations")).Count);
    }

    private static async Task<List<string>> ColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
