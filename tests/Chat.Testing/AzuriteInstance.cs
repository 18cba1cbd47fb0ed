namespace Chat.Testing;

/// <summary>
/// A private Azurite blob emulator for one test run, started by scripts/azurite.sh in a fresh temporary folder on
/// a free loopback port, and stopped (folder removed) on dispose.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    // Azurite's well-known development account key (public; it only opens the emulator).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _dataDir;

    private AzuriteInstance(string dataDir, int port) => (_dataDir, Port) = (dataDir, port);

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<AzuriteInstance> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chat-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        var instance = new AzuriteInstance(dataDir, FreePort.Next());
        try
        {
            await Scripts.RunAsync("azurite.sh", "start", dataDir, instance.Port.ToString());
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    /// <summary>Stops the emulator, keeping its data: blob storage is "down" until <see cref="RestartAsync"/>.</summary>
    public Task StopAsync() => Scripts.RunAsync("azurite.sh", "stop", _dataDir);

    /// <summary>Starts the emulator again on the same port and data.</summary>
    public Task RestartAsync() => Scripts.RunAsync("azurite.sh", "start", _dataDir, Port.ToString());

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
