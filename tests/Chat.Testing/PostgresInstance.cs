using Npgsql;

namespace Chat.Testing;

/// <summary>
/// A private PostgreSQL server for one test run, started by the repository's scripts/postgres.sh in a fresh
/// temporary folder on a free loopback port, and stopped (folder removed) on dispose.
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    private readonly string _dataDir;

    private PostgresInstance(string dataDir, int port) => (_dataDir, Port) = (dataDir, port);

    public int Port { get; }

    /// <summary>The server's main process: its backends are its children.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_dataDir, "postmaster.pid")).First());

    public static async Task<PostgresInstance> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chat-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var instance = new PostgresInstance(dataDir, FreePort.Next());
        try
        {
            await RunScriptAsync("start", dataDir, instance.Port.ToString(), "postgres");
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown), keeping its data: an outage.</summary>
    public Task StopAsync() => RunScriptAsync("stop", _dataDir);

    /// <summary>Starts the stopped server again on the same port and data.</summary>
    public Task StartAgainAsync() => RunScriptAsync("start", _dataDir, Port.ToString(), "postgres");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunScriptAsync("stop", _dataDir);
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Task RunScriptAsync(params string[] args) => Scripts.RunAsync("postgres.sh", args);
}
