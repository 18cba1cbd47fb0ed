using Chat.Grains.Hosting;
using Chat.Grains.Storage;
using Chat.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace Chat.IntegrationTests;

/// <summary>
/// The real Orleans ADO.NET providers (clustering, grain storage, reminders) running on our own PostgreSQL
/// scripts: silos join and leave, a client finds gateways, state round-trips, and a reminder fires.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AdoNetProviderTests(PostgresFixture postgres)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task TwoSilosJoinThroughAdoNetClusteringAndAClientFindsTheirGateways()
    {
        var connectionString = await PreparedDatabaseAsync();
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await StartSiloAsync(connectionString, clusterId);
        await using var second = await StartSiloAsync(connectionString, clusterId);
        Assert.Equal([Active, Active], await StatusesAsync(connectionString, clusterId));

        using var client = await StartClientAsync(connectionString, clusterId);
        var grain = client.Services.GetRequiredService<IClusterClient>().GetGrain<IProbeGrain>(Guid.NewGuid());
        await grain.WriteAsync("through the gateway");
        Assert.Equal("through the gateway", (await grain.ReadAsync()).Value);

        await second.StopAsync();
        Assert.Equal([Active, Dead], await StatusesAsync(connectionString, clusterId));
    }

    [Fact]
    public async Task GrainStateRoundTripsThroughPostgreSqlAcrossActivations()
    {
        var connectionString = await PreparedDatabaseAsync();
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await StartSiloAsync(connectionString, clusterId);
        var grain = silo.Client.GetGrain<IProbeGrain>(Guid.NewGuid());

        await grain.WriteAsync("first");
        await grain.WriteAsync("second"); // an update: the version protocol must accept the etag it returned
        await grain.DeactivateAsync();
        var afterReactivation = await grain.ReadAsync();
        await grain.ClearAsync();
        await grain.DeactivateAsync();
        var afterClear = await grain.ReadAsync();
        await grain.WriteAsync("third"); // writing after a clear
        await grain.DeactivateAsync();

        Assert.Equal("second", afterReactivation.Value);
        Assert.Null(afterClear.Value);
        Assert.Equal("third", (await grain.ReadAsync()).Value);
        Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'probe'"));
    }

    [Fact]
    public async Task AReminderStoredInPostgreSqlFires()
    {
        var connectionString = await PreparedDatabaseAsync();
        await using var silo = await StartSiloAsync(connectionString, "c" + Guid.NewGuid().ToString("N")[..8]);
        var grain = silo.Client.GetGrain<IProbeGrain>(Guid.NewGuid());

        await grain.StartReminderAsync();
        Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT count(*) FROM OrleansRemindersTable"));
        var ticks = await grain.WaitForTickAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, ticks);
        Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT count(*) FROM OrleansRemindersTable")); // unregistered by version
    }

    private async Task<string> PreparedDatabaseAsync()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await SchemaMigrator.ApplyAsync(connectionString);
        return connectionString;
    }

    private static async Task<SiloHost> StartSiloAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Chat"] = connectionString,
            ["ConnectionStrings:Blobs"] = "UseDevelopmentStorage=true", // required setting; these tests never touch blobs
            ["Chat:Silo:ClusterId"] = clusterId,
            ["Chat:Silo:ServiceId"] = clusterId,
            ["Chat:Silo:SiloPort"] = FreePort.Next().ToString(),
            ["Chat:Silo:GatewayPort"] = FreePort.Next().ToString(),
        });
        builder.UseOrleans(silo => silo.AddChatSilo(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return new SiloHost(host);
    }

    private static async Task<IHost> StartClientAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId))
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<List<int>> StatusesAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = $1 ORDER BY StartTime", connection);
        command.Parameters.AddWithValue(clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new List<int>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>A started silo host that stops on dispose, even when the test fails.</summary>
    private sealed class SiloHost(IHost host) : IAsyncDisposable
    {
        private bool _stopped;

        public IGrainFactory Client => host.Services.GetRequiredService<IGrainFactory>();

        public async Task StopAsync()
        {
            if (!_stopped)
            {
                _stopped = true;
                await host.StopAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            host.Dispose();
        }
    }
}
