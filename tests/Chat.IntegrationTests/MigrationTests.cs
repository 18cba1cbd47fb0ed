using Chat.Grains.Storage;
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
